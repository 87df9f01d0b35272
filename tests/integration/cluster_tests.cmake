# Redis Cluster (issue 15, DESIGN §8): the whole stack on a real cluster of
# 3 primaries + 3 replicas (tests/support/redis_cluster.h), a primary killed
# and a slot migrated under load. Included from tests/integration/CMakeLists.txt.
add_executable(papo_cluster_integration_tests)
target_sources(papo_cluster_integration_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/failover_load.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_cluster_failover_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_cluster_password_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/redis_password_stack.cc)
target_link_libraries(papo_cluster_integration_tests PRIVATE papo_test_support papo_common GTest::gtest_main)
add_dependencies(papo_cluster_integration_tests papo-pusher papo-app)
gtest_discover_tests(papo_cluster_integration_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE)
# papo-app's suites that use Redis, again on a cluster (PAPO_TEST_REDIS=cluster:
# tests/support/redis_server.h starts 3 primaries + 3 replicas per Stack).
gtest_discover_tests(papo_app_integration_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "cluster."
  TEST_FILTER "MessagesTest.*:JsonTypesTest.*:RoomsTest.*:StreamAuthTest.*:MentionsStreamTest.*"
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE ENVIRONMENT PAPO_TEST_REDIS=cluster)
# The pusher's suites that carry the bus (delivery, backfill, presence, list
# streams, sessions, private rooms, the whole stack) on a cluster: room,
# private-list and user channels over sharded pub/sub on each slot's node.
gtest_discover_tests(papo_pusher_integration_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "cluster."
  TEST_FILTER "PusherDeliveryTest.*:PusherBackfillTest.*:PusherPresenceTest.*:PusherListTest.*:PusherSessionTest.*:PrivateRoomsStackTest.*:PusherStackTest.*:PusherChangesTest.*"
  PROPERTIES TIMEOUT 300 LABELS integration RUN_SERIAL TRUE ENVIRONMENT PAPO_TEST_REDIS=cluster)
