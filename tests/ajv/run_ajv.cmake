# Installs ajv, ajv-formats and yaml under PREFIX (once), then runs agree.cjs.
if(NOT NODE OR NOT NPM)
  message(FATAL_ERROR "node and npm are needed for this test (Debian: apt-get install nodejs npm)")
endif()
if(NOT EXISTS "${PREFIX}/node_modules/ajv/package.json"
    OR NOT EXISTS "${PREFIX}/node_modules/ajv-formats/package.json"
    OR NOT EXISTS "${PREFIX}/node_modules/yaml/package.json")
  file(MAKE_DIRECTORY "${PREFIX}")
  execute_process(COMMAND "${NPM}" install --no-audit --no-fund --prefix "${PREFIX}"
      ajv@8 ajv-formats@3 yaml@2
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "npm install failed (status ${status}); is the registry reachable?\n${out}${err}")
  endif()
endif()
execute_process(COMMAND "${NODE}" "${SCRIPT}" "${PREFIX}" "${DOSSIER}" "${SOURCE_DIR}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dossier and ajv disagree (see above)")
endif()
