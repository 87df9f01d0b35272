# papo-pusher's integration suites (issue 3): real redis-server, papo-pusher
# processes and, for pusher_stack_test.cc, nginx and papo-app (tests/support).
# Included from tests/integration/CMakeLists.txt.
add_executable(papo_pusher_integration_tests)
target_sources(papo_pusher_integration_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/pusher_backfill_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_changes_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_cluster_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_delivery_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_list_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_presence_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_private_rooms_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_resilience_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_secret_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_session_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_stack_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_stream_limit_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pusher_stream_test.cc
  # Issue 17 (DESIGN §9): registered once, on SQLite (the pg. filter below
  # leaves it out; the repository test covers PostgreSQL).
  ${CMAKE_CURRENT_LIST_DIR}/room_admin_test.cc)
target_link_libraries(papo_pusher_integration_tests PRIVATE papo_test_support papo_common GTest::gtest_main)
add_dependencies(papo_pusher_integration_tests papo-pusher papo-app)
# Servers bind free ports picked at start: one at a time (as the app suites).
gtest_discover_tests(papo_pusher_integration_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE)
# Again on PostgreSQL, the one suite that starts papo-app (a Stack); the
# others never touch the database.
gtest_discover_tests(papo_pusher_integration_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "pg."
  TEST_FILTER "PusherStackTest.*:PrivateRoomsStackTest.*:PusherChangesTest.*"
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE ENVIRONMENT PAPO_TEST_DB=postgres)
# Again on Redis Sentinel (tests/support/redis_sentinel.h: a master, a
# replica, three sentinels; papo and the pusher find the master through
# the sentinels): the suites that carry messages, backfill, presence and
# list streams over the bus.
gtest_discover_tests(papo_pusher_integration_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "sentinel."
  TEST_FILTER "PusherDeliveryTest.*:PusherBackfillTest.*:PusherPresenceTest.*:PusherListTest.*"
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE ENVIRONMENT PAPO_TEST_REDIS=sentinel)
