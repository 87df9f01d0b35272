# Redis Sentinel (issue 15, DESIGN §8): the resolver and papo's clients
# against a real topology (tests/support/redis_sentinel.h: a master, a
# replica and three sentinels), and a failover under a full Stack.
# Included from tests/integration/CMakeLists.txt.
add_executable(papo_sentinel_integration_tests)
target_sources(papo_sentinel_integration_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/failover_load.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_sentinel_failover_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_sentinel_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_sentinel_password_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_password_stack.cc)
target_link_libraries(papo_sentinel_integration_tests PRIVATE papo_test_support papo_common GTest::gtest_main)
add_dependencies(papo_sentinel_integration_tests papo-pusher papo-app)
gtest_discover_tests(papo_sentinel_integration_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE)
