package org.exfacegan.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    // numpy 2.4: np.save(f, np.array([[1.5, -2], [3, 0.25]], np.float32))
    private static final String F4_2X2 = "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
            + "652c20277368617065273a2028322c2032292c207d202020202020202020202020202020202020202020202020202020"
            + "202020202020202020202020202020202020202020202020202020202020200a0000c03f000000c0000040400000803e";
    // np.save(f, np.array([True, False, True]))
    private static final String B1_3 = "934e554d5059010076007b276465736372273a20277c6231272c2027666f727472616e5f6f72646572273a2046616c73"
            + "652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020"
            + "202020202020202020202020202020202020202020202020202020202020200a010001";
    // np.save(f, np.array(7, np.int64))
    private static final String I8_SCALAR = "934e554d5059010076007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73"
            + "652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020"
            + "202020202020202020202020202020202020202020202020202020202020200a0700000000000000";

    @Test
    void writerMatchesCommittedNumpyBytes() throws IOException {
        Path f = dir.resolve("a.npy");
        Npy.write(f, new float[] {1.5f, -2f, 3f, 0.25f}, 2, 2);
        assertArrayEquals(HexFormat.of().parseHex(F4_2X2), Files.readAllBytes(f));
        Npy.write(f, new boolean[] {true, false, true}, 3);
        assertArrayEquals(HexFormat.of().parseHex(B1_3), Files.readAllBytes(f));
        Npy.write(f, new long[] {7}); // 0-d
        assertArrayEquals(HexFormat.of().parseHex(I8_SCALAR), Files.readAllBytes(f));
        assertEquals(128 + 8, Files.size(f));
    }

    @Test
    void readsCommittedNumpyBytes() throws IOException {
        Path f = dir.resolve("b.npy");
        Files.write(f, HexFormat.of().parseHex(F4_2X2));
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new long[] {2, 2}, a.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 3f, 0.25f}, a.floats());
        Files.write(f, HexFormat.of().parseHex(B1_3));
        assertArrayEquals(new boolean[] {true, false, true}, Npy.read(f).booleans());
        Files.write(f, HexFormat.of().parseHex(I8_SCALAR));
        assertArrayEquals(new long[] {7}, Npy.read(f).longs());
        assertEquals(0, Npy.read(f).shape().length);
    }

    @Test
    void headerIsPaddedTo64WithNewline() {
        for (long[] shape : new long[][] {{}, {0}, {5}, {3, 4}, {123456789012L, 1}, {1, 2, 3, 4, 5, 6, 7}}) {
            byte[] h = Npy.header(Npy.DType.FLOAT64, shape);
            assertEquals(0, h.length % 64, "header length for shape " + java.util.Arrays.toString(shape));
            assertEquals('\n', h[h.length - 1]);
            assertEquals(h.length - 10, ByteBuffer.wrap(h, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
        }
    }

    /** Every dtype and a few shapes: our bytes equal numpy.save's, and we read numpy's 1.0/2.0/3.0 files. */
    @Test
    void byteIdenticalToNumpyOnThisMachine() throws Exception {
        Path py = dir.resolve("gen.py");
        Files.writeString(py, String.join("\n",
                "import sys, numpy as np",
                "from numpy.lib import format as F",
                "d = sys.argv[1]",
                "np.save(d + '/f4.npy', (np.arange(12, dtype=np.float32) * 0.37 - 2).reshape(3, 4))",
                "np.save(d + '/f8.npy', np.arange(5, dtype=np.float64) / 3.0)",
                "np.save(d + '/i4.npy', (np.arange(6, dtype=np.int32) - 3).reshape(1, 2, 3))",
                "np.save(d + '/i8.npy', np.arange(4, dtype=np.int64) * 10000000000)",
                "np.save(d + '/b1.npy', np.array([[True, False], [False, True]]))",
                "np.save(d + '/empty.npy', np.zeros((0, 7), np.float32))",
                "np.save(d + '/wide.npy', np.ones((1, 3), np.float32))",
                "for v in ((2, 0), (3, 0)):",
                "    with open(d + '/v%d.npy' % v[0], 'wb') as f:",
                "        F.write_array(f, (np.arange(6, dtype=np.float32) + 0.5).reshape(2, 3), version=v)",
                ""));
        Process p;
        try {
            p = new ProcessBuilder("python3", py.toString(), dir.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 not found: skipping the comparison with numpy.save (" + e.getMessage() + ")");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Assumptions.assumeTrue(!out.contains("No module named 'numpy'"), "numpy is not installed for python3: skipping");
        assertEquals(0, p.exitValue(), out);

        float[] f4 = new float[12];
        for (int i = 0; i < 12; i++) {
            f4[i] = (float) i * 0.37f - 2f; // numpy: float32 arange times float32 0.37 minus 2, in float32
        }
        double[] f8 = new double[5];
        for (int i = 0; i < 5; i++) {
            f8[i] = i / 3.0;
        }
        same("f4.npy", a -> Npy.write(a, f4, 3, 4));
        same("f8.npy", a -> Npy.write(a, f8, 5));
        same("i4.npy", a -> Npy.write(a, new int[] {-3, -2, -1, 0, 1, 2}, 1, 2, 3));
        same("i8.npy", a -> Npy.write(a, new long[] {0, 10000000000L, 20000000000L, 30000000000L}, 4));
        same("b1.npy", a -> Npy.write(a, new boolean[] {true, false, false, true}, 2, 2));
        same("empty.npy", a -> Npy.write(a, new float[0], 0, 7));
        same("wide.npy", a -> Npy.write(a, new float[] {1, 1, 1}, 1, 3));
        for (String v : new String[] {"v2.npy", "v3.npy"}) {
            Npy.Array a = Npy.read(dir.resolve(v));
            assertArrayEquals(new long[] {2, 3}, a.shape());
            assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}, a.floats());
        }
    }

    private interface Writer {
        void write(Path p) throws IOException;
    }

    private void same(String name, Writer w) throws IOException {
        Path ours = dir.resolve("ours-" + name);
        w.write(ours);
        assertArrayEquals(Files.readAllBytes(dir.resolve(name)), Files.readAllBytes(ours), name + " differs from numpy.save");
        Npy.Array back = Npy.read(dir.resolve(name));
        assertEquals(Npy.read(ours), back, name);
    }

    @Test
    void roundTripAllTypes() {
        Path f = dir.resolve("r.npy");
        Npy.write(f, new double[] {1e-300, -0.0, Double.NaN, 4}, 2, 1, 2);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new long[] {2, 1, 2}, a.shape());
        assertArrayEquals(new double[] {1e-300, -0.0, Double.NaN, 4}, a.doubles());
        Npy.write(f, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, 2);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, Npy.read(f).ints());
        assertThrows(NpyException.class, () -> Npy.read(f).floats());
        // larger than the reader's and writer's chunks
        float[] big = new float[700_001];
        boolean[] bits = new boolean[1_500_007];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f - 7;
        }
        for (int i = 0; i < bits.length; i++) {
            bits[i] = i % 3 == 0;
        }
        Npy.write(f, java.util.Arrays.copyOf(big, 700_000), 7, 100_000, 1);
        assertArrayEquals(java.util.Arrays.copyOf(big, 700_000), Npy.read(f).floats());
        Npy.write(f, big, big.length);
        assertArrayEquals(big, Npy.read(f).floats());
        Npy.write(f, bits, bits.length);
        assertArrayEquals(bits, Npy.read(f).booleans());
        assertThrows(NpyException.class, () -> Npy.write(f, new float[3], 2, 2));
    }

    @Test
    void callerLimitRefusesBiggerArraysFromTheHeader() {
        Path f = dir.resolve("w.npy");
        Npy.write(f, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Npy.read(f, 6).floats());
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(f, 5));
        assertTrue(e.getMessage().startsWith("invalid .npy file " + f + ": ") && e.getMessage().contains("more than the 5 expected"),
                e.getMessage());
    }

    // ------------------------------------------------------------------ hostile input

    private Path file(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "bad", ".npy");
        Files.write(f, bytes);
        return f;
    }

    private static byte[] withHeader(String dict, int dataBytes) {
        byte[] h = dict.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.array();
    }

    private void rejects(byte[] bytes, String expected) throws IOException {
        Path f = file(bytes);
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void rejectsHostileFiles() throws IOException {
        byte[] good = HexFormat.of().parseHex(F4_2X2);
        byte[] magic = good.clone();
        magic[1] = 'X';
        rejects(magic, "bad magic");
        rejects(new byte[] {(byte) 0x93, 'N', 'U'}, "truncated");
        rejects(java.util.Arrays.copyOf(good, 60), "truncated header");
        rejects(java.util.Arrays.copyOf(good, good.length - 1), "truncated data");
        rejects(java.util.Arrays.copyOf(good, good.length + 3), "trailing bytes");
        String pre = "{'descr': '<f4', 'fortran_order': False, 'shape': ";
        rejects(withHeader(pre + "(4000000000, 4000000000), }\n", 16), "too large");
        rejects(withHeader(pre + "(9999999999999999999,), }\n", 16), "too large");
        rejects(withHeader(pre + "(100000, 1000), }\n", 16), "truncated data");
        rejects(withHeader(pre + "(-4,), }\n", 16), "bad dimension '-4'");
        rejects(withHeader(pre + "(2, x), }\n", 16), "bad dimension");
        rejects(withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", 16), "Fortran");
        rejects(withHeader("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }\n", 16), "unsupported dtype");
        rejects(withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", 4), "unsupported dtype");
        rejects(withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", 4), "'descr'");
        byte[] bool = withHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }\n", 1);
        bool[bool.length - 1] = 2;
        rejects(bool, "bool element");
        byte[] version = good.clone();
        version[6] = 9;
        rejects(version, "version 9.0");
        // header length field larger than numpy allows (v2: 4-byte length)
        ByteBuffer big = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        big.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(Integer.MAX_VALUE);
        rejects(big.array(), "exceeds the limit");
    }
}
