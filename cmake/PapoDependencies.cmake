# Every dependency comes from a Debian package; a missing one stops the
# configure step with the name of the package to install.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

function(papo_require_pkg target module debian_package)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: apt-get install ${debian_package}")
  endif()
endfunction()

papo_require_pkg(PAPO_FCGI fcgi libfcgi-dev)
papo_require_pkg(PAPO_HIREDIS hiredis libhiredis-dev)
papo_require_pkg(PAPO_SQLITE sqlite3 libsqlite3-dev)
papo_require_pkg(PAPO_SODIUM libsodium libsodium-dev)
papo_require_pkg(PAPO_PQ libpq libpq-dev)

find_path(PAPO_RAPIDJSON_INCLUDE rapidjson/document.h)
if(NOT PAPO_RAPIDJSON_INCLUDE)
  message(FATAL_ERROR "rapidjson/document.h not found: apt-get install rapidjson-dev")
endif()
find_path(PAPO_MUSTACHE_INCLUDE kainjow/mustache.hpp)
if(NOT PAPO_MUSTACHE_INCLUDE)
  message(FATAL_ERROR "kainjow/mustache.hpp not found: apt-get install libkainjow-mustache-dev")
endif()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
