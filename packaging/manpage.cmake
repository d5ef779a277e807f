# Writes the man page slimbench(1) from `slimbench --man` (built from the --help texts,
# app/manpage.cpp): OUT (troff, read by tests/cli/man_page.sh) and OUT.gz (installed).
#   cmake -DBIN=path/to/slimbench -DOUT=path/to/slimbench.1 -P manpage.cmake
execute_process(COMMAND "${BIN}" --man OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "slimbench --man failed (${rc})")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
# -n: no name or time in the gzip header, so the same page gives the same bytes.
execute_process(COMMAND gzip -9 -n -c "${OUT}" OUTPUT_FILE "${OUT}.gz" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip of ${OUT} failed (${rc})")
endif()
