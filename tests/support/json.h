// Parses a response body the tests read as JSON (rapidjson is header-only).
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace papo::testing {

// An unparsable body gives a document whose HasParseError() is true, so the
// test's assertions on it fail with the body in their message.
inline rapidjson::Document Json(const std::string& body) {
  rapidjson::Document document;
  document.Parse(body.c_str());
  return document;
}

}  // namespace papo::testing
