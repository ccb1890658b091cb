// The translation unit that owns core's precompiled header (core/pch/aten_pch.h); nothing else.
