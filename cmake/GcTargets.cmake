# Helpers that give every module the same shape: gc_add_module(util SOURCES ... DEPS ...)
# creates target gc_util with alias gc::util, public headers in include/.
function(gc_add_module name)
  cmake_parse_arguments(ARG "" "LAYER" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(gc_${name} STATIC ${ARG_SOURCES})
  add_library(gc::${name} ALIAS gc_${name})
  target_include_directories(gc_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(gc_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  target_compile_features(gc_${name} PUBLIC cxx_std_20)
  gc_set_warnings(gc_${name})
  # util is the ground every layer stands on; every other module here is core (plugins pass LAYER).
  if(ARG_LAYER)
    gc_layer(${ARG_LAYER} gc_${name})
  elseif(name STREQUAL "util")
    gc_layer(util gc_${name})
  else()
    gc_layer(core gc_${name})
  endif()
endfunction()

# Tests of Qt-free modules that must also build in the minimal (no Qt) configuration use
# the small harness in tests/support/gc_test.h; all others are Qt Test executables.
function(gc_add_test name)
  cmake_parse_arguments(ARG "QT;GUI" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  target_compile_definitions(${name} PRIVATE
    GC_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    GC_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data"
    GC_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(ARG_QT OR ARG_GUI)
    target_link_libraries(${name} PRIVATE Qt6::Test)
  endif()
  gc_set_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  # GUI tests need a display with OpenGL: the test command runs ctest under xvfb-run.
  # Exit code 77 means every case was skipped (tests/support/gc_test_env.h): CTest shows
  # "Skipped", not "Passed", for a GPU test without a device or a data test without the data.
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 1500 SKIP_RETURN_CODE 77)
endfunction()
