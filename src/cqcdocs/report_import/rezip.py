"""Writing a package anew with its untouched parts copied as they are stored in the zip.

`rezip` copies each entry that is not replaced (its local header, compressed bytes and data descriptor,
and its central record) byte for byte, in the same order, so nothing is decompressed and recompressed;
replaced parts are deflated in their place and added parts after. A package this does not handle (Zip64
records) is rewritten by `zipfile` part by part, every part's bytes still unchanged.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib


def rezip(data: bytes, z: zipfile.ZipFile, replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes:
    """DATA (the package Z reads) with REPLACED parts' bytes changed and ADDED parts appended."""
    raw = _copy_raw(data, z, replaced, added)
    if raw is not None:
        return raw
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        new.comment = z.comment
        for info in z.infolist():
            body = replaced.get(info.filename)
            new.writestr(_zip_entry(info), z.read(info) if body is None else body)
        for name, body in added.items():
            new.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _zip_entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh entry like INFO (name, time, compression, attributes), without the extra fields of its reading."""
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type, entry.external_attr, entry.create_system = (info.compress_type, info.external_attr,
                                                                     info.create_system)
    entry.comment = info.comment
    return entry


_LOCAL, _CENTRAL, _END, _DESCRIPTOR = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x07\x08"


def _dos_time(when: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = when[:6]
    return (hour << 11) | (minute << 5) | (second // 2), (max(year, 1980) - 1980) << 9 | (month << 5) | day


def _deflated_entry(name: str, body: bytes, when: tuple[int, ...], external_attr: int,
                    offset: int) -> tuple[bytes, bytes]:
    """(local header and data, central record) for a part written anew at OFFSET, deflated."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(body) + packer.flush()
    encoded = name.encode("utf-8")
    flags = 0x800 if not name.isascii() else 0
    dos_time, dos_date = _dos_time(when)
    fixed = struct.pack("<HHHHHIII", 20, flags, 8, dos_time, dos_date, zlib.crc32(body), len(packed), len(body))
    local = _LOCAL + fixed + struct.pack("<HH", len(encoded), 0) + encoded + packed
    central = (_CENTRAL + struct.pack("<H", 20) + fixed
               + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, external_attr, offset) + encoded)
    return local, central


def _copy_raw(data: bytes, z: zipfile.ZipFile, replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes | None:
    """The new package with every part not in REPLACED copied as it is stored (its local header, compressed
    bytes and descriptor, and its central record), byte for byte, in the same order; REPLACED parts
    written in their place and ADDED ones after. None for what this does not handle (Zip64 sizes or
    offsets, a central directory that does not read back), left to `zipfile`."""
    infos = z.infolist()
    start = getattr(z, "start_dir", None)
    if start is None or len(infos) + len(added) >= 0xFFFF or len(data) >= 0xFFFFFFFF - (1 << 28):
        return None
    records: dict[int, bytes] = {}
    at = start
    for i in range(len(infos)):
        if data[at:at + 4] != _CENTRAL:
            return None
        n, m, k = struct.unpack_from("<HHH", data, at + 28)
        records[i] = data[at:at + 46 + n + m + k]
        at += 46 + n + m + k
    out, central = bytearray(), bytearray()
    for i, info in enumerate(infos):
        offset = len(out)
        record = records[i]
        if info.filename in replaced:
            local, rec = _deflated_entry(info.filename, replaced[info.filename], info.date_time, info.external_attr,
                                         offset)
            out += local
            central += rec
            continue
        if b"\x01\x00" in info.extra[:2] or info.header_offset >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
            return None  # Zip64
        head = info.header_offset
        if data[head:head + 4] != _LOCAL:
            return None
        n, m = struct.unpack_from("<HH", data, head + 26)
        end = head + 30 + n + m + info.compress_size
        if info.flag_bits & 0x08:  # a data descriptor follows the data
            end += 16 if data[end:end + 4] == _DESCRIPTOR else 12
        out += data[head:end]
        central += record[:42] + struct.pack("<I", offset) + record[46:]
    for name, body in added.items():
        offset = len(out)
        local, rec = _deflated_entry(name, body, time.localtime()[:6], 0o600 << 16, offset)
        out += local
        central += rec
    count = len(infos) + len(added)
    where = len(out)
    out += central + _END + struct.pack("<HHHHIIH", 0, 0, count, count, len(central), where, len(z.comment))
    out += z.comment
    if where >= 0xFFFFFFFF:
        return None
    return bytes(out)
