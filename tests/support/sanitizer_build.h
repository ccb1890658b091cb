#pragma once
// Whether this test binary is built with AddressSanitizer (packaging/dev.sh sanitize address). ASan maps
// terabytes of shadow memory and holds freed memory in a quarantine, so a limit on the address space or a
// bound on RSS growth measures ASan, not Merganser; those checks run in the normal build, and under ASan its
// own leak and overflow detection stands in for them.
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

} // namespace mg::test
