#pragma once
// Whether this test binary is built with AddressSanitizer or ThreadSanitizer (packaging/dev.sh sanitize).
// ASan maps terabytes of shadow memory and holds freed memory in a quarantine; TSan keeps a history of memory
// accesses that grows with the work done. So a limit on the address space or a bound on RSS growth measures
// the sanitizer, not Merganser; those checks run in the normal build, and under ASan its own leak and
// overflow detection stands in for them.
namespace mg::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kThreadSanitizer = true;
#else
inline constexpr bool kThreadSanitizer = false;
#endif
#else
inline constexpr bool kThreadSanitizer = false;
#endif

inline constexpr bool kSanitizerBuild = kAddressSanitizer || kThreadSanitizer;

} // namespace mg::test
