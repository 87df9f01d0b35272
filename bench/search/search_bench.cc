// papo-search-bench: message search at the repository level (issue 17,
// bench/scripts/search.sh). `generate` bulk-loads a papo database (SQLite
// file or PostgreSQL URI, migrated by papo itself, so the index is the one
// papo uses): 1,000 rooms (900 public, 100 private), Portuguese-like text
// over a Zipf vocabulary with accented words, and a reader who belongs to
// 10 of the private rooms. `query` runs SearchRepository::Search for each
// query as that reader and prints p50/p99 per query.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/open_database.h"
#include "fcgi-app/db/search_repository.h"
#include "fcgi-app/services/search_text.h"

namespace papo {
namespace {

constexpr int kRooms = 1000;
constexpr int kPrivateRooms = 100;  // rooms 901..1000 (after the 3 seed rooms: ids shift, see below)
constexpr int kReaderPrivateRooms = 10;
constexpr int kVocabulary = 20000;
constexpr int kRowsPerInsert = 100;

// Words of the vocabulary by rank (0 = most frequent). Made-up syllable
// words, with real accented Portuguese words at chosen ranks.
std::vector<std::string> Vocabulary() {
  const char* syllables[] = {"ba", "be", "ca", "co", "da", "de", "fa", "ga", "la", "le", "ma", "me", "mo",
                             "na", "no", "pa", "pe", "ra", "re", "sa", "se", "so", "ta", "te", "to", "va",
                             "vi", "za", "lu", "ri", "tu", "nho", "lha", "ção", "são", "ões", "ém", "ú"};
  constexpr int kSyllables = sizeof(syllables) / sizeof(syllables[0]);
  std::vector<std::string> words;
  std::mt19937 random(7);
  while (static_cast<int>(words.size()) < kVocabulary) {
    int n = 2 + static_cast<int>(random() % 3);
    std::string word;
    for (int i = 0; i < n; ++i) word += syllables[random() % kSyllables];
    words.push_back(word);
  }
  // Named words the queries use: common, medium and rare ranks.
  words[3] = "não";
  words[5] = "ação";
  words[40] = "reunião";
  words[500] = "orçamento";
  words[2000] = "pêssego";
  words[15000] = "quiçá";
  words[19000] = "xilogravura";
  return words;
}

// Samples ranks with probability ∝ 1/(rank+1).
class Zipf {
 public:
  explicit Zipf(int n) : cumulative_(n) {
    double sum = 0;
    for (int i = 0; i < n; ++i) cumulative_[i] = sum += 1.0 / (i + 1);
    for (double& c : cumulative_) c /= sum;
  }
  int operator()(std::mt19937& random) {
    double u = std::uniform_real_distribution<double>(0, 1)(random);
    return static_cast<int>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

int Fail(const Status& status, const char* what) {
  std::fprintf(stderr, "papo-search-bench: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

int Generate(Database& db, int64_t messages) {
  auto version = ApplyMigrations(db);
  if (!version.ok()) return Fail(version.status(), "migrations");
  std::vector<std::string> words = Vocabulary();
  Zipf zipf(kVocabulary);
  std::mt19937 random(42);
  // Users 1 (the reader) .. 50.
  {
    WriteTransaction tx(db);
    if (Status s = tx.Begin(); !s.ok()) return Fail(s, "begin");
    for (int u = 1; u <= 50; ++u) {
      auto st = db.Cached("INSERT INTO usuario (nome, email, senha_hash, criado_em) VALUES (?1, ?2, 'x', 1)");
      if (!st.ok()) return Fail(st.status(), "usuario");
      StatementScope scope(**st);
      scope->Bind(1, "Pessoa " + std::to_string(u)).Bind(2, "p" + std::to_string(u) + "@exemplo.com");
      if (Status s = scope->Run(); !s.ok()) return Fail(s, "usuario");
    }
    // Rooms: kRooms new ones (the 3 seed rooms exist too, public).
    for (int r = 1; r <= kRooms; ++r) {
      bool privada = r > kRooms - kPrivateRooms;
      auto st = db.Cached(
          "INSERT INTO sala (nome, nome_chave, descricao, privada, criado_por, criado_em) VALUES (?1, ?2, '', ?3, 2, 1)");
      if (!st.ok()) return Fail(st.status(), "sala");
      StatementScope scope(**st);
      std::string nome = "sala-" + std::to_string(r);
      scope->Bind(1, nome).Bind(2, nome).Bind(3, int64_t{privada ? 1 : 0});
      if (Status s = scope->Run(); !s.ok()) return Fail(s, "sala");
    }
    if (Status s = db.Exec("INSERT INTO sala_membro (sala_id, usuario_id, papel) SELECT id, 2, 'dono' FROM sala WHERE privada = 1");
        !s.ok()) {
      return Fail(s, "sala_membro");
    }
    // The reader (user 1) is in the first kReaderPrivateRooms private rooms.
    if (Status s = db.Exec("INSERT INTO sala_membro (sala_id, usuario_id) SELECT id, 1 FROM sala WHERE privada = 1 "
                           "ORDER BY id LIMIT " + std::to_string(kReaderPrivateRooms));
        !s.ok()) {
      return Fail(s, "sala_membro");
    }
    if (Status s = tx.Commit(); !s.ok()) return Fail(s, "commit");
  }
  // Room ids: the 3 seed rooms are 1..3, ours 4..kRooms+3.
  std::vector<int64_t> seq(kRooms + 4, 0);
  std::string insert = "INSERT INTO chat_mensagem (sala_id, seq, usuario_id, mensagem, data_envio) VALUES ";
  for (int i = 0; i < kRowsPerInsert; ++i) {
    int p = i * 5;
    insert += (i ? ", (?" : "(?") + std::to_string(p + 1) + ", ?" + std::to_string(p + 2) + ", ?" +
              std::to_string(p + 3) + ", ?" + std::to_string(p + 4) + ", ?" + std::to_string(p + 5) + ")";
  }
  auto start = std::chrono::steady_clock::now();
  int64_t done = 0;
  while (done < messages) {
    WriteTransaction tx(db);
    if (Status s = tx.Begin(); !s.ok()) return Fail(s, "begin");
    for (int batch = 0; batch < 100 && done < messages; ++batch) {
      auto st = db.Cached(insert);
      if (!st.ok()) return Fail(st.status(), "prepare");
      StatementScope scope(**st);
      for (int i = 0; i < kRowsPerInsert; ++i, ++done) {
        int64_t sala = 4 + static_cast<int64_t>(random() % kRooms);
        // A word frequent only in the private rooms nobody but their members
        // see: the reader's worst case (many matches, none visible).
        int length = 4 + static_cast<int>(random() % 14);
        std::string text;
        for (int w = 0; w < length; ++w) {
          if (w) text += ' ';
          text += words[zipf(random)];
        }
        if (sala > kRooms + 3 - kPrivateRooms + kReaderPrivateRooms && random() % 3 == 0) text += " sigiloso";
        int p = i * 5;
        scope->Bind(p + 1, sala).Bind(p + 2, ++seq[sala]).Bind(p + 3, int64_t{2 + static_cast<int64_t>(random() % 49)});
        scope->Bind(p + 4, text).Bind(p + 5, int64_t{1'700'000'000'000} + done);
      }
      if (Status s = scope->Run(); !s.ok()) return Fail(s, "insert");
    }
    if (Status s = tx.Commit(); !s.ok()) return Fail(s, "commit");
    if (done % 100000 == 0) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "generated %lld messages (%.0f s)\n", static_cast<long long>(done), seconds);
    }
  }
  if (Status s = db.Exec("UPDATE sala SET ultimo_seq = COALESCE((SELECT MAX(seq) FROM chat_mensagem m WHERE m.sala_id = sala.id), 0)");
      !s.ok()) {
    return Fail(s, "ultimo_seq");
  }
  if (db.backend() == Backend::kPostgres) (void)db.Exec("ANALYZE");
  return 0;
}

int Query(Database& db, int reps, const std::vector<std::string>& queries) {
  SearchRepository repository(db);
  // A statement's first executions on a connection are planned for their
  // values (PostgreSQL: 5 custom plans, then a generic one); they are
  // timed apart, as "first".
  constexpr int kFirstRuns = 5;
  std::printf("%-28s %8s %10s %10s %10s %10s\n", "query", "results", "first_ms", "p50_ms", "p99_ms", "max_ms");
  for (const std::string& query : queries) {
    MessageSearch search;
    search.usuario_id = 1;
    search.words = SearchWords(query);
    search.limit = 21;  // SearchService asks one more than a page
    std::vector<double> times;
    double first = 0;
    size_t results = 0;
    for (int i = 0; i < reps + kFirstRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      auto ids = repository.Search(search);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (i < kFirstRuns) {
        first = std::max(first, ms);
      } else {
        times.push_back(ms);
      }
      if (!ids.ok()) return Fail(ids.status(), query.c_str());
      results = ids->size();
    }
    std::sort(times.begin(), times.end());
    auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<size_t>(q * times.size()))]; };
    std::printf("%-28s %8zu %10.2f %10.2f %10.2f %10.2f\n", ("\"" + query + "\"").c_str(), results, first, at(0.5),
                at(0.99), times.back());
  }
  return 0;
}

}  // namespace
}  // namespace papo

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: papo-search-bench generate TARGET MESSAGES\n"
                         "       papo-search-bench query TARGET REPS QUERY...\n");
    return 2;
  }
  auto db = papo::OpenDatabase(argv[2], "normal");
  if (!db.ok()) return papo::Fail(db.status(), "open");
  if (std::strcmp(argv[1], "generate") == 0) return papo::Generate(**db, std::stoll(argv[3]));
  std::vector<std::string> queries(argv + 4, argv + argc);
  return papo::Query(**db, std::stoi(argv[3]), queries);
}
