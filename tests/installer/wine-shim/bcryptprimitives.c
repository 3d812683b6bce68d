/*
 * TEST DOUBLE for the Wine-based installer test only — never shipped.
 *
 * Rust's standard library (1.78+) takes its random numbers from ProcessPrng in bcryptprimitives.dll,
 * which every Windows 10/11 has but Debian 12's Wine 8.0 lacks. The installer test copies this DLL into
 * its private Wine prefix so that the MSI's custom action (madoguchi-terminal.exe configure) can run.
 * It forwards to RtlGenRandom (advapi32!SystemFunction036), which Wine implements.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
