// PasswordHashSlots: at most N argon2id hashes (cadastro, login) run at
// once in this process (PAPO_MAX_PASSWORD_HASHES, DESIGN §11). Each hash
// takes 64 MiB and tens of milliseconds of a core: 40 concurrent bogus
// logins once took two papo-app processes to ~2 GiB and every page to ~1 s.
// A request beyond the cap waits for a slot, briefly; one that waits too
// long is answered 503 without hashing. Only `max_waiting` wait (main.cc:
// a quarter of the worker threads); the others are answered 503 at once,
// so a flood of logins ties up few of the process's threads and the rest
// keep serving pages. 48 bogus logins at once on 48 threads: with every
// thread free to hash, the process grew by 2.7 GiB and GET /login took
// 3.7 s; with a cap of 2 and 12 waiting, 131 MiB and 51 ms.
//
// Thread-safe: one per process (constructed in main.cc), shared by every
// worker thread's AuthService.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace papo {

class PasswordHashSlots final {
 public:
  // A held slot; released when destroyed.
  class Slot final {
   public:
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->Release();
    }

   private:
    friend class PasswordHashSlots;
    explicit Slot(PasswordHashSlots* owner) : owner_(owner) {}
    PasswordHashSlots* owner_;
  };

  // REQUIRES: slots >= 1, max_waiting >= 0.
  PasswordHashSlots(int slots, int max_waiting) : free_(slots), max_waiting_(max_waiting) {}
  PasswordHashSlots(const PasswordHashSlots&) = delete;
  PasswordHashSlots& operator=(const PasswordHashSlots&) = delete;

  // A slot as soon as one is free; nullopt after `wait`, or at once when
  // max_waiting requests are already waiting.
  std::optional<Slot> Acquire(std::chrono::milliseconds wait);
  int free_slots() const;

 private:
  void Release();

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
  int waiting_ = 0;
  const int max_waiting_;
};

}  // namespace papo
