# Runs `dossier check INPUT` (or, with -DMODE=render, `dossier render INPUT -o OUTPUT`) in the
# current directory and compares its stderr byte for byte with EXPECTED; the exit status must
# be 1 (an input error: not 0, not a crash), and a render must leave no OUTPUT behind.
# With DOSSIER_UPDATE_GOLDEN=1 in the environment, EXPECTED is rewritten instead.
if(MODE STREQUAL "render")
  file(REMOVE "${OUTPUT}")
  execute_process(COMMAND "${DOSSIER}" render "${INPUT}" -o "${OUTPUT}"
    RESULT_VARIABLE status ERROR_VARIABLE actual OUTPUT_VARIABLE stdout)
  if(EXISTS "${OUTPUT}")
    message(FATAL_ERROR "dossier render ${INPUT}: wrote ${OUTPUT} although it failed")
  endif()
else()
  execute_process(COMMAND "${DOSSIER}" check "${INPUT}"
    RESULT_VARIABLE status ERROR_VARIABLE actual OUTPUT_VARIABLE stdout)
endif()
if(NOT status STREQUAL "1")
  message(FATAL_ERROR "dossier ${MODE} ${INPUT}: exit status ${status}, expected 1\n${actual}")
endif()
if(NOT stdout STREQUAL "")
  message(FATAL_ERROR "dossier check ${INPUT}: unexpected output on stdout:\n${stdout}")
endif()
if("$ENV{DOSSIER_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${EXPECTED}" "${actual}")
  message(STATUS "rewrote ${EXPECTED}")
  return()
endif()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "no golden file ${EXPECTED}; run with DOSSIER_UPDATE_GOLDEN=1\n${actual}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${ACTUAL}" "${actual}")
  message(FATAL_ERROR "dossier check ${INPUT}: stderr differs from ${EXPECTED}\n"
    "--- expected\n${expected}--- actual (also in ${ACTUAL})\n${actual}")
endif()
