// PasswordHashSlots: at most N argon2id hashes (cadastro, login) run at
// once in this process (PAPO_MAX_PASSWORD_HASHES, DESIGN §11). Each hash
// takes 64 MiB and tens of milliseconds of a core: 40 concurrent bogus
// logins once took two papo-app processes to ~2 GiB and every page to ~1 s.
// A request beyond the cap waits for a slot, briefly; one that waits too
// long is answered 503 without hashing.
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

  // REQUIRES: slots >= 1.
  explicit PasswordHashSlots(int slots) : free_(slots) {}
  PasswordHashSlots(const PasswordHashSlots&) = delete;
  PasswordHashSlots& operator=(const PasswordHashSlots&) = delete;

  // A slot as soon as one is free, or nullopt after `wait`.
  std::optional<Slot> Acquire(std::chrono::milliseconds wait);
  int free_slots() const;

 private:
  void Release();

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
};

}  // namespace papo
