# Message search (issue 17, DESIGN §9): registered on SQLite only; the two
# backends' equivalence is tested at the repository level
# (tests/unit/app/search_repository_test.cc). Included from CMakeLists.txt.
add_executable(papo_search_tests)
target_sources(papo_search_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/search_test.cc)
target_link_libraries(papo_search_tests PRIVATE papo_test_support papo_common GTest::gtest_main)
add_dependencies(papo_search_tests papo-app papo-pusher)
gtest_discover_tests(papo_search_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 180 LABELS integration RUN_SERIAL TRUE)
