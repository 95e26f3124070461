# docprof_layer(<target> <dir> [DEPS <libs>...]): a library of every .cpp in <dir> (static; shared
# in a DOCPROF_COMPACT_BUILD), with src/ on its include path. Skipped (with a note) while <dir> holds no sources yet.
function(docprof_layer target dir)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(NOT _sources)
    message(STATUS "${target}: no sources in ${dir} yet")
    return()
  endif()
  add_library(${target} ${DOCPROF_LIBRARY_KIND} ${_sources})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE docprof_warnings)
endfunction()
