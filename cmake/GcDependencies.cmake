# Finds the Debian-packaged dependencies of DESIGN §3 and sets GC_HAVE_* / GC_BUILD_GUI.
find_package(Threads REQUIRED)

# LibTorch: Debian's 1.13 (CPU) here, a CUDA LibTorch 2.x on GPU machines (-DTorch_DIR=...).
find_package(Torch QUIET)
set(GC_HAVE_TORCH ${Torch_FOUND})
if(NOT GC_HAVE_TORCH)
  message(WARNING "LibTorch not found: kernels and model are not built (install libtorch-dev)")
endif()

# CUDA kernels: AUTO turns them on when nvcc exists (no GPU is needed to compile).
set(GC_HAVE_CUDA OFF)
if(GC_HAVE_TORCH AND NOT GENOCIRCUIT_WITH_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(GC_HAVE_CUDA ON)
  elseif(GENOCIRCUIT_WITH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "GENOCIRCUIT_WITH_CUDA=ON but nvcc was not found")
  endif()
endif()

set(GC_BUILD_GUI OFF)
# zlib backs gc::util's line reader: required by the full build (below), optional in the minimal one.
if(GENOCIRCUIT_MINIMAL)
  find_package(ZLIB QUIET)
endif()
if(NOT GENOCIRCUIT_MINIMAL)
  find_package(HDF5 REQUIRED COMPONENTS C)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(HTSLIB REQUIRED IMPORTED_TARGET htslib)
  find_package(ZLIB REQUIRED)
  find_package(Eigen3 REQUIRED NO_MODULE)
  # libBigWig (libbigwig-dev) ships no pkg-config or CMake files. Debian builds it with remote-file
  # support (libBigWig.so links libcurl-gnutls), so bigWigIO.h includes <curl/curl.h>: the curl
  # headers (libcurl4-gnutls-dev) are needed to compile against it, not to link.
  find_path(GC_BIGWIG_INCLUDE_DIR bigWig.h REQUIRED)
  find_library(GC_BIGWIG_LIBRARY BigWig REQUIRED)
  find_path(GC_CURL_INCLUDE_DIR curl/curl.h REQUIRED)
  add_library(GC::BigWig UNKNOWN IMPORTED)
  set_target_properties(GC::BigWig PROPERTIES IMPORTED_LOCATION ${GC_BIGWIG_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES "${GC_BIGWIG_INCLUDE_DIR};${GC_CURL_INCLUDE_DIR}")
  find_package(Qt6 REQUIRED COMPONENTS Core Test)
  if(GENOCIRCUIT_WITH_GUI)
    find_package(Qt6 REQUIRED COMPONENTS Gui Widgets OpenGL OpenGLWidgets Svg Concurrent PrintSupport Charts)
    # Only VTK modules without Qt: Debian's VTK Qt module is built against Qt 5.
    find_package(VTK REQUIRED COMPONENTS CommonCore CommonDataModel FiltersSources FiltersCore
                 InteractionStyle RenderingCore RenderingOpenGL2 RenderingAnnotation)
    set(GC_BUILD_GUI ON)
  endif()
endif()
set(GC_HAVE_ZLIB ${ZLIB_FOUND})
