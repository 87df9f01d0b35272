# papo_embed_files(<output.cc> <symbol> <files...>): compiles text files into
# a table {name, contents} so the binaries carry their SQL migrations and
# templates and an operator deploys one file per binary.
function(papo_embed_files output symbol)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DSYMBOL=${symbol}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/PapoEmbedScript.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/PapoEmbedScript.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
endfunction()
