#!/usr/bin/env python3
"""An outside auditor's check of a Qingling inclusion proof or signed head, written from
docs/archive.md alone.

    python3 tools/archive/verify_proof.py PROOF.json PUBLIC-KEY-HEX-OR-FILE
    python3 tools/archive/verify_proof.py --head HEAD.json PUBLIC-KEY-HEX-OR-FILE

A signed head is checked as far as it can be without the log: its signature, its key, and
that its statement is canonical (whether the log still holds it needs the log:
`qingling verify --head`). Uses only hashlib (SHA-256) and the `cryptography` package
(Ed25519). Exit 0 when the proof or head holds, 1 when it does not (each reason printed), 2 on
a usage error.
"""
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
    document = json.load(open(arguments[0], encoding="utf-8"))
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

    for problem in problems:
        print("problem:", problem)
    if problems:
        return 1
    print(f"proof holds: event {sequence} of {manifest['year']} is under the signed root {manifest['merkleRoot']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
