#!/usr/bin/env python3
"""An outside auditor's check of a Qingling inclusion proof or signed head, written from
docs/archive.md alone.

    python3 tools/archive/verify_proof.py PROOF.json PUBLIC-KEY-HEX-OR-FILE
    python3 tools/archive/verify_proof.py --head HEAD.json PUBLIC-KEY-HEX-OR-FILE

A proof's readable `event` member is checked too: `storedEvent` (what the leaf commits to) is
decoded by docs/format.md section 11 and must say exactly what `event` says, compared as JSON
values with their types kept (an integer is not a float, a boolean is not a number) and the
order of an object's keys not significant, as `qingling verify-proof` compares them; the event
printed when the proof holds is the decoded one. A stored event this checker cannot decode (a codec
version it does not know) is refused, never printed unchecked.

A signed head is checked as far as it can be without the log: its signature, its key, and
that its statement is canonical (whether the log still holds it needs the log:
`qingling verify --head`). Uses only hashlib (SHA-256) and the `cryptography` package
(Ed25519). Exit 0 when the proof or head holds, 1 when it does not (each reason printed), 2 on
a usage error.
"""
import base64
import datetime
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(sequence: int, recorded_at: int, stored: bytes) -> bytes:
    leaf = sequence.to_bytes(8, "big") + (recorded_at & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big") + stored
    return sha256(b"\x00" + leaf)


def root_from_path(leaf: bytes, index: int, size: int, path: list) -> bytes | None:
    """RFC 9162, section 2.1.3.2."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = sha256(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


class Undecodable(Exception):
    """The stored bytes are not an event this checker can read."""


CODEC_VERSIONS = (1, 2)
MEDIA_TYPES = ["image/jpeg", "image/png", "application/pdf"]
EVENT_TYPES = ["HazardReported", "HazardSupervised", "DeadlineExtended", "HazardRectified", "HazardVerified",
               "HazardClosed", "HazardReopened", "HazardWithdrawn", "EscalationIssued", "PenaltyImposed",
               "TipOffReceived", "RewardPaid", "ReporterKeyDestroyed"]
ORGANIZATION_KINDS = ["enterprise", "town", "department", "committee"]
SOURCES = ["selfCheck", "expertDiagnosis", "peerCheck", "departmentInspection", "enforcementInspection", "tipOff",
           "unannouncedVisit", "assignedByHigherLevel"]
SUPERVISION_LEVELS = ["none", "county", "prefecture", "province"]
OUTCOMES = ["passed", "failed"]
ESCALATION_LEVELS = ["letter", "notice", "summons", "exposure"]
PENALTY_KINDS = ["warning", "fine", "suspension", "closure", "licenceRevoked", "industryBan", "criminalReferral"]
CHANNELS = ["hotline", "online", "letter", "visit", "other"]
EPOCH = datetime.date(1970, 1, 1)
DAY_MICROSECONDS = 86_400_000_000
SHANGHAI_OFFSET_MICROSECONDS = 8 * 3_600_000_000


class StoredEventReader:
    """Reads the primitives of docs/format.md section 11."""

    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def byte(self) -> int:
        if self.position >= len(self.data):
            raise Undecodable("the stored event ends too early")
        self.position += 1
        return self.data[self.position - 1]

    def uvarint(self) -> int:
        value = 0
        for index in range(10):
            b = self.byte()
            value |= (b & 0x7F) << (7 * index)
            if not b & 0x80:
                if value >= 1 << 64:
                    raise Undecodable("a varint passes 2^64 - 1")
                return value
        raise Undecodable("a varint is longer than 10 bytes")

    def varint(self) -> int:
        value = self.uvarint()
        return (value >> 1) ^ -(value & 1)

    def raw(self) -> bytes:
        """Raw bytes, length-prefixed as a string is (a sealed identity's ciphertext)."""
        length = self.uvarint()
        if length > len(self.data) - self.position:
            raise Undecodable("bytes run past the end of the stored event")
        raw = self.data[self.position:self.position + length]
        self.position += length
        return bytes(raw)

    def string(self) -> str:
        length = self.uvarint()
        if length > len(self.data) - self.position:
            raise Undecodable("a string runs past the end of the stored event")
        raw = self.data[self.position:self.position + length]
        self.position += length
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Undecodable("a string is not valid UTF-8")

    def optional(self, read):
        flag = self.byte()
        if flag not in (0, 1):
            raise Undecodable(f"an optional field has the flag {flag}")
        return read() if flag else None

    def strings(self) -> list:
        return [self.string() for _ in range(self.uvarint())]

    def code(self, vocabulary: list) -> str:
        value = self.byte()
        if value >= len(vocabulary):
            raise Undecodable(f"code {value} is not in its vocabulary")
        return vocabulary[value]

    def date(self) -> str:
        days = self.varint()
        if not -719_162 <= days <= 2_932_896:
            raise Undecodable("a date is outside 0001-01-01 ... 9999-12-31")
        return (EPOCH + datetime.timedelta(days=days)).isoformat()

    def time(self) -> str:
        local = self.varint() + SHANGHAI_OFFSET_MICROSECONDS
        days, in_day = divmod(local, DAY_MICROSECONDS)
        if not -719_162 <= days <= 2_932_896:
            raise Undecodable("a time is outside the years 0001 ... 9999")
        seconds, micros = divmod(in_day, 1_000_000)
        text = f"{(EPOCH + datetime.timedelta(days=days)).isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return text + (f".{micros:06d}" if micros else "") + "+08:00"

    def person(self) -> dict:
        return {"id": self.string(), "name": self.string()}


def decode_stored_event(stored: bytes) -> dict:
    """The event's JSON interchange form (docs/events.md), from its stored bytes (docs/format.md
    section 11); optional fields that are absent are left out."""
    r = StoredEventReader(stored)
    version = r.byte()
    if version not in CODEC_VERSIONS:
        raise Undecodable(f"codec version {version}, which this checker does not know")
    tag = r.byte()
    if not 1 <= tag <= len(EVENT_TYPES):
        raise Undecodable(f"type tag {tag} is not an event type")
    event_type = EVENT_TYPES[tag - 1]
    event = {"eventId": r.string(), "type": event_type, "occurredAt": r.time()}
    organization = {"kind": r.code(ORGANIZATION_KINDS), "id": r.string(), "name": r.string()}
    event["actor"] = {"organization": organization, "person": r.person()}
    expected_version = r.optional(r.uvarint)
    if expected_version is not None:
        event["expectedVersion"] = expected_version
    data = {}

    def put(key, value):
        if value is not None:
            data[key] = value

    def attachments():
        # Codec version 2: a list of {sha256, size, mediaType, caption}; left out when empty.
        if version < 2:
            return
        items = []
        for _ in range(r.uvarint()):
            item = {"sha256": r.string(), "size": r.uvarint(), "mediaType": r.string(), "caption": r.string()}
            if item["mediaType"] not in MEDIA_TYPES:
                raise Undecodable(f"attachment media type {item['mediaType']!r} is not one of {', '.join(MEDIA_TYPES)}")
            items.append(item)
        put("attachments", items or None)

    if event_type == "HazardReported":
        put("hazardId", r.string())
        put("enterprise", r.optional(lambda: {"creditCode": r.string(), "name": r.string()}))
        for key in ["region", "industry", "criterionClause", "description"]:
            put(key, r.string())
        put("source", r.code(SOURCES))
        put("discoveredOn", r.date())
        put("tipOffId", r.optional(r.string))
        attachments()
    elif event_type == "HazardSupervised":
        put("hazardId", r.string())
        put("leadDepartment", {"id": r.string(), "name": r.string()})
        put("supervisionLevel", r.code(SUPERVISION_LEVELS))
        put("deadline", r.date())
        responsible = {}
        for key in ["enterprisePrincipal", "actualController"]:
            person = r.optional(r.person)
            if person is not None:
                responsible[key] = person
        responsible["departmentOfficer"] = r.person()
        responsible["townOfficer"] = r.person()
        put("responsible", responsible)
    elif event_type == "DeadlineExtended":
        put("hazardId", r.string()); put("newDeadline", r.date()); put("reason", r.string())
    elif event_type == "HazardRectified":
        put("hazardId", r.string()); put("completedOn", r.date()); put("measures", r.string()); put("fundsFen", r.varint())
        attachments()
    elif event_type == "HazardVerified":
        put("hazardId", r.string()); put("outcome", r.code(OUTCOMES)); put("findings", r.string())
        attachments()
    elif event_type == "HazardClosed":
        put("hazardId", r.string()); put("note", r.string())
    elif event_type == "HazardReopened":
        put("hazardId", r.string()); put("reason", r.string()); put("newDeadline", r.date())
    elif event_type == "HazardWithdrawn":
        put("hazardId", r.string()); put("reason", r.string())
    elif event_type == "EscalationIssued":
        put("level", r.code(ESCALATION_LEVELS))
        put("target", {"kind": r.code(ORGANIZATION_KINDS), "id": r.string(), "name": r.string()})
        put("hazardIds", r.strings())
        put("reason", r.optional(r.string))
    elif event_type == "PenaltyImposed":
        put("enterprise", {"creditCode": r.string(), "name": r.string()})
        put("kind", r.code(PENALTY_KINDS)); put("amountFen", r.varint())
        put("legalBasis", r.string()); put("caseNumber", r.string())
        hazard_ids = r.strings()
        put("hazardIds", hazard_ids or None)
        put("tipOffId", r.optional(r.string))
        attachments()
    elif event_type == "TipOffReceived":
        put("tipOffId", r.string()); put("channel", r.code(CHANNELS)); put("summary", r.string())
        put("reporterPseudonym", r.string())
        if version >= 2:
            put("reporterSealed", r.optional(lambda: {"keyId": r.string(), "ciphertext": base64.b64encode(r.raw()).decode("ascii")}))
    elif event_type == "ReporterKeyDestroyed":
        put("tipOffId", r.string()); put("keyId", r.string()); put("reason", r.string())
    else:
        put("tipOffId", r.string()); put("amountFen", r.varint())
    if r.position != len(stored):
        raise Undecodable("bytes follow the event's last field")
    event["data"] = data
    return event


def same_json(readable, canonical) -> bool:
    """Whether two parsed JSON values are the same (docs/archive.md, "Inclusion proofs"): of
    the same JSON type (Python's `==` alone takes 222000.0 and True for the integers 222000
    and 1), objects with the same keys in any order, arrays element by element, text by code
    point."""
    if type(readable) is not type(canonical):
        return False
    if isinstance(canonical, dict):
        return readable.keys() == canonical.keys() and all(same_json(readable[key], canonical[key]) for key in canonical)
    if isinstance(canonical, list):
        return len(readable) == len(canonical) and all(same_json(a, b) for a, b in zip(readable, canonical))
    return readable == canonical


class NotStrictJSON(ValueError):
    """A document `qingling verify-proof` would not parse either."""


def without_duplicates(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise NotStrictJSON("an object has a duplicate key")
    return dict(pairs)


def no_constant(name: str):
    raise NotStrictJSON(f"{name} is not JSON")


def load_strict(text: str):
    """Parses JSON as strictly as qingling's parser (RFC 8259): no duplicate keys, no NaN."""
    return json.loads(text, object_pairs_hook=without_duplicates, parse_constant=no_constant)


def printable(text: str) -> str:
    """JSON text safe on a terminal: DEL and the C1 control characters, which json.dumps leaves
    raw, escaped as JSON escapes them (it escapes every C0 control character itself)."""
    return "".join(f"\\u{ord(c):04x}" if 0x7F <= ord(c) <= 0x9F else c for c in text)


HEAD_KEYS = ["format", "logCreatedAt", "simulatedClock", "size", "lastRecordedAt", "chainHead", "merkleRoot",
             "signedAt", "publicKey"]


def signature_holds(public_key: bytes, signature_hex: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(bytes.fromhex(signature_hex), message)
        return True
    except InvalidSignature:
        return False


def check_head(signed: dict, public_key: bytes) -> int:
    problems = []
    text = signed["head"]
    if not signature_holds(public_key, signed["signature"], text.encode("utf-8")):
        problems.append("the head's signature does not verify with this public key")
    head = json.loads(text)
    if list(head) != HEAD_KEYS or head["format"] != "qingling-head/1":
        problems.append("the statement does not have the keys of qingling-head/1 in their order")
    elif json.dumps(head, separators=(",", ":")) != text:
        problems.append("the statement is not in its canonical form")
    elif head["publicKey"] != public_key.hex():
        problems.append("the head names another public key")
    elif (head["size"] == 0) != (head["lastRecordedAt"] is None):
        problems.append("lastRecordedAt must be null exactly when size is 0")
    for problem in problems:
        print("problem:", problem)
    if problems:
        return 1
    print(f"head holds: {head['size']} records signed at {head['signedAt']}, Merkle root {head['merkleRoot']}, "
          f"chain head {head['chainHead']}")
    return 0


def main() -> int:
    arguments = sys.argv[1:]
    head_mode = arguments[:1] == ["--head"]
    if head_mode:
        arguments = arguments[1:]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        document = load_strict(open(arguments[0], encoding="utf-8").read())
    except ValueError as error:
        print("problem: the file is not strict JSON:", error)
        return 1
    key_text = open(arguments[1]).read().strip() if os.path.exists(arguments[1]) else arguments[1]
    public_key = bytes.fromhex(key_text)
    if head_mode:
        return check_head(document, public_key)
    proof = document
    problems = []

    manifest_bytes = proof["manifest"].encode("utf-8")
    if not signature_holds(public_key, proof["signature"], manifest_bytes):
        problems.append("the manifest's signature does not verify with this public key")
    manifest = json.loads(manifest_bytes)
    if manifest["publicKey"] != public_key.hex():
        problems.append("the manifest names another public key")

    sequence, recorded_at = proof["sequence"], proof["recordedAt"]
    if not manifest["firstSequence"] <= sequence <= manifest["lastSequence"]:
        problems.append("the sequence is outside the sealed year")
    index, size = sequence - manifest["firstSequence"], manifest["eventCount"]
    if proof["leafIndex"] != index or proof["treeSize"] != size:
        problems.append("leafIndex or treeSize do not match the manifest")
    leaf = leaf_hash(sequence, recorded_at, bytes.fromhex(proof["storedEvent"]))
    if leaf.hex() != proof["leafHash"]:
        problems.append("leafHash is not the hash of the sequence, recorded time and stored event")
    root = root_from_path(leaf, index, size, [bytes.fromhex(node) for node in proof["auditPath"]])
    if root is None or root.hex() != manifest["merkleRoot"]:
        problems.append("the audit path does not lead to the signed Merkle root")
    event = None
    try:
        event = decode_stored_event(bytes.fromhex(proof["storedEvent"]))
    except Undecodable as error:
        problems.append(f"storedEvent cannot be decoded ({error}): the event is not shown, as it cannot be checked")
    if event is not None and not same_json(proof.get("event"), event):
        problems.append("the event's readable form (event) is not what its stored bytes (storedEvent, the leaf) say")
    # The evidence files: those the stored event names, each listed (hash, size) in the signed manifest.
    listed = [(item["sha256"], item["bytes"]) for item in proof.get("attachments", [])]
    if event is not None:
        named = [(item["sha256"], item["size"]) for item in event["data"].get("attachments", [])]
        if listed != named:
            problems.append("attachments is not the list of files the stored event names")
    sealed = [(item["sha256"], item["bytes"]) for item in manifest.get("attachments", [])]
    for sha, size in listed:
        if (sha, size) not in sealed:
            problems.append(f"attachment {sha} ({size} bytes) is not listed in the signed manifest")

    for problem in problems:
        print("problem:", problem)
    if problems:
        return 1
    print(f"proof holds: event {sequence} of {manifest['year']} is under the signed root {manifest['merkleRoot']}; it says:")
    print(printable(json.dumps(event, ensure_ascii=False, indent=2)))
    for sha, size in listed:
        print(f"attachment {sha} ({size} bytes): a file with this SHA-256 is the one the event names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
