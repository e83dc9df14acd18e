"""Just enough PNG reading (8-bit RGB or RGBA, not interlaced: what Chromium's screenshots are) to
compare regions of two screenshots, with the standard library only."""

import struct
import zlib


class Image:
    def __init__(self, width, height, channels, rows):
        self.width, self.height, self.channels, self.rows = width, height, channels, rows

    def pixel(self, x, y):
        row = self.rows[y]
        i = x * self.channels
        return row[i], row[i + 1], row[i + 2]

    def gray(self, x, y):
        r, g, b = self.pixel(x, y)
        return (r * 299 + g * 587 + b * 114) // 1000


def decode(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, color, interlace))
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, offset = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 255
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return Image(width, height, channels, rows)


def region_difference(first, second, box, step=2):
    """Mean absolute grey difference (0-255) of two images over box = (x, y, width, height)."""
    x0, y0, width, height = [int(v) for v in box]
    total, count = 0, 0
    for y in range(max(0, y0), min(first.height, second.height, y0 + height), step):
        for x in range(max(0, x0), min(first.width, second.width, x0 + width), step):
            total += abs(first.gray(x, y) - second.gray(x, y))
            count += 1
    return total / max(1, count)


def count_matching(image, box, predicate, step=1):
    """How many pixels in box satisfy predicate(r, g, b)."""
    x0, y0, width, height = [int(v) for v in box]
    found = 0
    for y in range(max(0, y0), min(image.height, y0 + height), step):
        for x in range(max(0, x0), min(image.width, x0 + width), step):
            if predicate(*image.pixel(x, y)):
                found += 1
    return found
