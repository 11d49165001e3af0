# Compiler settings shared by every target of ours.
find_program(GC_CCACHE ccache)
if(GC_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${GC_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${GC_CCACHE})
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${GC_CCACHE})
endif()

# Torch headers use `slots` as an identifier; Qt's keyword macros would break them.
add_compile_definitions(QT_NO_KEYWORDS)

if(GENOCIRCUIT_SANITIZE)
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=address,undefined> $<$<COMPILE_LANGUAGE:C,CXX>:-fno-omit-frame-pointer>)
  add_link_options(-fsanitize=address,undefined)
endif()

# Warnings apply to our targets only (gc_set_warnings), never to third-party headers.
function(gc_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wnon-virtual-dtor>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wshadow=local>)
  if(GENOCIRCUIT_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
  endif()
endfunction()
