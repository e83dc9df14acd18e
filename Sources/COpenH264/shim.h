// openh264's encoder C API (BSD-2-Clause, linked in-process). The encoder is an `ISVCEncoder`,
// a pointer to a table of function pointers, which Swift calls directly.
#include <wels/codec_api.h>
