import Crypto
import QinglingArchive
import QinglingLog
import Testing

@Suite struct MerkleTreeTests {
    /// The test vectors of RFC 6962's reference implementation (Certificate Transparency).
    static let inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test func rootsMatchTheRFC6962Vectors() {
        let leaves = Self.inputs.map { MerkleTree.leafHash([UInt8](hexString: $0) ?? []) }
        for size in 1...8 {
            #expect(MerkleTree.root(Array(leaves.prefix(size))).hexString == Self.roots[size - 1], "size \(size)")
        }
        #expect(MerkleTree.root([]).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// The streaming root against RFC 6962's definition of MTH written out recursively.
    @Test func theAccumulatorGivesRFC6962sRootAfterEveryLeaf() {
        func reference(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
            guard leaves.count > 1 else { return leaves.first ?? Array(SHA256.hash(data: [UInt8]())) }
            var k = 1
            while k * 2 < leaves.count { k *= 2 }
            return MerkleTree.nodeHash(reference(leaves.prefix(k)), reference(leaves.dropFirst(k)))
        }
        let leaves = (0..<70).map { MerkleTree.leafHash([UInt8(truncatingIfNeeded: $0), 0x5A]) }
        var accumulator = MerkleTree.Accumulator()
        #expect(accumulator.root == reference([]))
        for (index, leaf) in leaves.enumerated() {
            accumulator.append(leaf)
            #expect(accumulator.count == UInt64(index + 1))
            #expect(accumulator.root == reference(leaves.prefix(index + 1)), "\(index + 1) leaves")
        }
    }

    @Test func everyAuditPathLeadsToTheRootAndNothingElseDoes() {
        for size in 1...40 {
            let leaves = (0..<size).map { MerkleTree.leafHash([UInt8(truncatingIfNeeded: $0), UInt8(size)]) }
            let root = MerkleTree.root(leaves)
            for index in 0..<size {
                let path = MerkleTree.auditPath(of: index, in: leaves)
                #expect(MerkleTree.root(fromPath: path, leaf: leaves[index], index: index, size: size) == root)
                if size > 1 {
                    #expect(MerkleTree.root(fromPath: path, leaf: leaves[(index + 1) % size], index: index, size: size) != root)
                    #expect(MerkleTree.root(fromPath: path, leaf: leaves[index], index: (index + 1) % size, size: size) != root)
                    #expect(MerkleTree.root(fromPath: Array(path.dropLast()), leaf: leaves[index], index: index, size: size) != root)
                }
                #expect(MerkleTree.root(fromPath: path + [leaves[0]], leaf: leaves[index], index: index, size: size) == nil)
            }
        }
    }
}

/// Inputs the fuzzers found or aim at: refused with a reason, never a trap.
@Suite struct ArchiveDecodingTests {
    @Test func negativeOrHugeNumbersInAProofOrManifestAreRefused() throws {
        // Found by fuzz-proof: a negative sequence trapped in the conversion to UInt64.
        for text in [#"{"format":"qingling-proof/1","auditPath":[],"sequence":-1,"recordedAt":0}"#,
                     #"{"format":"qingling-proof/1","auditPath":[],"sequence":18446744073709551616,"recordedAt":0}"#] {
            #expect { try InclusionProof.decode(Array(text.utf8), path: "proof") } throws: { error in
                guard case let ArchiveError.invalid(_, reason) = error else { return false }
                return reason.contains("sequence")
            }
        }
        let manifest = #"{"format":"qingling-archive/1","files":[],"year":2024,"firstSequence":-5,"lastSequence":1,"eventCount":1}"#
        #expect { try ArchiveManifest.decode(Array(manifest.utf8), path: "manifest") } throws: { error in
            guard case let ArchiveError.invalid(_, reason) = error else { return false }
            return reason.contains("firstSequence")
        }
    }
}
