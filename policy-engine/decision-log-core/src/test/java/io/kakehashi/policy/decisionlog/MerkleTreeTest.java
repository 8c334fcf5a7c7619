package io.kakehashi.policy.decisionlog;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Merkle tree against RFC 9162's shapes: the Certificate Transparency reference vectors (the leaves and tree heads
 * used by RFC 6962's reference implementation and transparency-dev/merkle, taken as data), the definitions of
 * RFC 9162 2.1 computed directly for every tree up to 40 leaves, and proofs that must be refused.
 */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f");
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static MerkleTree referenceTree() {
        var tree = new MerkleTree();
        LEAVES.forEach(leaf -> tree.appendLeafHash(MerkleTree.leafHash(HEX.parseHex(leaf))));
        return tree;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    @Nested
    class ReferenceVectors {

        @Test
        void root_ofEverySize_shouldBeTheReferenceTreeHead() {
            var tree = referenceTree();
            for (int size = 0; size <= LEAVES.size(); size++) {
                assertThat(HEX.formatHex(tree.root(size))).as("size %d", size).isEqualTo(ROOTS.get(size));
            }
        }

        @Test
        void inclusionProof_shouldBeTheReferencePath() {
            var tree = referenceTree();

            assertThat(hex(tree.inclusionProof(0, 8))).containsExactly(
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
            assertThat(hex(tree.inclusionProof(5, 8))).containsExactly(
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
            assertThat(MerkleTree.verifyInclusion(5, 8, tree.leaf(5), tree.inclusionProof(5, 8), HEX.parseHex(ROOTS.get(8)))).isTrue();
        }

        @Test
        void consistencyProof_shouldBeTheReferencePath() {
            var tree = referenceTree();

            assertThat(hex(tree.consistencyProof(2, 8))).containsExactly(
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
            assertThat(hex(tree.consistencyProof(6, 8))).containsExactly(
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
            assertThat(hex(tree.consistencyProof(2, 5))).containsExactly(
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
            assertThat(MerkleTree.verifyConsistency(6, 8, HEX.parseHex(ROOTS.get(6)), HEX.parseHex(ROOTS.get(8)), tree.consistencyProof(6, 8))).isTrue();
        }
    }

    @Nested
    class EveryTreeUpTo40Leaves {

        private static final int MAX = 40;

        private final List<byte[]> leaves = new ArrayList<>();
        private final MerkleTree tree = new MerkleTree();

        EveryTreeUpTo40Leaves() {
            for (int i = 0; i < MAX; i++) {
                var leaf = MerkleTree.leafHash(new byte[]{(byte) i, (byte) (i * 7)});
                leaves.add(leaf);
                tree.appendLeafHash(leaf);
            }
        }

        /** MTH as RFC 9162 2.1.1 defines it, computed from the leaves every time. */
        private byte[] mth(int start, int end) {
            var n = end - start;
            if (n == 1) {
                return leaves.get(start);
            }
            var k = Integer.highestOneBit(n - 1);
            return MerkleTree.nodeHash(mth(start, start + k), mth(start + k, end));
        }

        @Test
        void root_shouldBeTheDefinitionsTreeHead() {
            for (int n = 1; n <= MAX; n++) {
                assertThat(tree.root(n)).as("size %d", n).isEqualTo(mth(0, n));
            }
        }

        @Test
        void everyInclusionProof_shouldVerify_andEveryForgedOneBeRefused() {
            for (int n = 1; n <= MAX; n++) {
                var root = tree.root(n);
                for (int i = 0; i < n; i++) {
                    var proof = tree.inclusionProof(i, n);
                    assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), proof, root)).as("leaf %d of %d", i, n).isTrue();
                    assertThat(proof.size()).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(n - 1));

                    // another leaf, another position, another size, another root
                    assertThat(MerkleTree.verifyInclusion(i, n, MerkleTree.leafHash(new byte[]{1, 2, 3}), proof, root)).isFalse();
                    if (n > 1) {
                        assertThat(MerkleTree.verifyInclusion((i + 1) % n, n, leaves.get(i), proof, root)).as("moved leaf %d of %d", i, n).isFalse();
                        assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), proof, tree.root(n - 1))).isFalse();
                    }
                    assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), proof, tree.root(Math.min(MAX, n + 1)))).isEqualTo(n == MAX);
                    // a path element changed, one dropped, one added
                    for (int p = 0; p < proof.size(); p++) {
                        var forged = new ArrayList<>(proof);
                        var changed = forged.get(p).clone();
                        changed[0] ^= 1;
                        forged.set(p, changed);
                        assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), forged, root)).isFalse();
                    }
                    if (!proof.isEmpty()) {
                        assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), proof.subList(0, proof.size() - 1), root)).isFalse();
                    }
                    var longer = new ArrayList<>(proof);
                    longer.add(leaves.get(0));
                    assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), longer, root)).isFalse();
                }
            }
        }

        @Test
        void everyConsistencyProof_shouldVerify_andEveryForgedOneBeRefused() {
            for (int n = 1; n <= MAX; n++) {
                for (int m = 1; m <= n; m++) {
                    var proof = tree.consistencyProof(m, n);
                    var firstRoot = tree.root(m);
                    var secondRoot = tree.root(n);
                    assertThat(MerkleTree.verifyConsistency(m, n, firstRoot, secondRoot, proof)).as("%d -> %d", m, n).isTrue();
                    if (m == n) {
                        assertThat(proof).isEmpty();
                        continue;
                    }
                    // a rewritten history: the old head is not the one the new tree extends
                    var forgedRoot = firstRoot.clone();
                    forgedRoot[31] ^= 1;
                    assertThat(MerkleTree.verifyConsistency(m, n, forgedRoot, secondRoot, proof)).isFalse();
                    assertThat(MerkleTree.verifyConsistency(m, n, firstRoot, forgedRoot, proof)).isFalse();
                    for (int p = 0; p < proof.size(); p++) {
                        var forged = new ArrayList<>(proof);
                        var changed = forged.get(p).clone();
                        changed[5] ^= 1;
                        forged.set(p, changed);
                        assertThat(MerkleTree.verifyConsistency(m, n, firstRoot, secondRoot, forged)).as("%d -> %d, element %d", m, n, p).isFalse();
                    }
                    assertThat(MerkleTree.verifyConsistency(m, n, firstRoot, secondRoot, List.of())).isFalse();
                    if (m > 1) {
                        assertThat(MerkleTree.verifyConsistency(m - 1, n, firstRoot, secondRoot, proof)).isFalse();
                    }
                }
            }
        }

        @Test
        void proofs_outsideTheTree_shouldBeRefusedWithAReason() {
            assertThatThrownBy(() -> tree.inclusionProof(MAX, MAX)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tree.inclusionProof(0, MAX + 1)).hasMessageContaining("leaves");
            assertThatThrownBy(() -> tree.consistencyProof(0, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tree.consistencyProof(6, 5)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
