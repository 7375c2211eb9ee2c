# Installs yaml-language-server under PREFIX (once), then runs lsp.cjs. Major version 1: 2.x
# requires Node >= 22.13; 1.x declares no engine (1.25.0 tested with Node 20) and validates
# JSON Schema draft 2020-12, the draft of schemas/case.schema.json.
if(NOT NODE OR NOT NPM)
  message(FATAL_ERROR "node and npm are needed for this test (Debian: apt-get install nodejs npm)")
endif()
if(NOT EXISTS "${PREFIX}/node_modules/yaml-language-server/package.json")
  file(MAKE_DIRECTORY "${PREFIX}")
  execute_process(COMMAND "${NPM}" install --no-audit --no-fund --prefix "${PREFIX}"
      yaml-language-server@1
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "npm install failed (status ${status}); is the registry reachable?\n${out}${err}")
  endif()
endif()
execute_process(COMMAND "${NODE}" "${SCRIPT}" "${PREFIX}" "${DOSSIER}" "${SOURCE_DIR}" "${WORK}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "yaml-language-server and dossier disagree, or the session failed (see above)")
endif()
