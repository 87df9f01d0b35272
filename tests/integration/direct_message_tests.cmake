# Direct messages and the room list (issue 17, DESIGN §9): registered on
# SQLite, and the concurrency test again on PostgreSQL (pg.), where the two
# sides' transactions overlap for real. Included from CMakeLists.txt.
add_executable(papo_direct_message_tests)
target_sources(papo_direct_message_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/direct_message_test.cc)
target_link_libraries(papo_direct_message_tests PRIVATE papo_test_support papo_common GTest::gtest_main)
add_dependencies(papo_direct_message_tests papo-app papo-pusher)
gtest_discover_tests(papo_direct_message_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 180 LABELS integration RUN_SERIAL TRUE)
gtest_discover_tests(papo_direct_message_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "pg."
  TEST_FILTER "DirectMessageConcurrencyTest.*"
  PROPERTIES TIMEOUT 180 LABELS integration RUN_SERIAL TRUE ENVIRONMENT PAPO_TEST_DB=postgres)
