"""Keeps glibc's malloc from giving a PyTorch step's freed buffers back to the kernel, so the peer runs at its best.

With glibc's defaults, PyTorch's large activation and gradient buffers are mmapped and unmapped, or trimmed off the
top of the heap, as they are freed, and every step then page-faults (and the kernel zeroes) the same memory again.
On curex's parity step (one thread, a 2-core Zen 4 EPYC) that cost PyTorch 10-25%: 9.3-10.9 steps/s with the
defaults against 12.2-13.8 with the thresholds raised, alternating runs. curex reuses one arena and is unaffected.
"""
import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 << 20   # glibc's upper limit on 64-bit systems


def keep_freed_memory():
    """mallopt: blocks below 32 MiB come from the heap and the heap is never trimmed; False if it failed (no glibc)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX)) and bool(libc.mallopt(M_TRIM_THRESHOLD,
                                                                                              2 ** 31 - 1))
    except (OSError, AttributeError):
        return False


def setup(glibc_defaults):
    """Raises the thresholds unless glibc_defaults; returns the setting in words, for a script's header."""
    if glibc_defaults:
        return "glibc defaults"
    return "thresholds raised" if keep_freed_memory() else "glibc defaults (mallopt failed)"
