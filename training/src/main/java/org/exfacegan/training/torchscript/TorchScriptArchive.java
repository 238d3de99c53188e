package org.exfacegan.training.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a module tree as a TorchScript archive that {@code torch.jit.load} (and so DJL's PyTorch
 * engine) loads: a zip of stored entries under one folder, holding
 * {@code code/__torch__/exfacegan/nn.py} (the classes' source), {@code data.pkl} (the module
 * objects and their attributes, tensors as persistent storage ids), {@code data/N} (raw
 * little-endian storage bytes), {@code constants.pkl} (an empty tuple), {@code version} (3, the
 * format {@code torch.jit.save} of PyTorch 1.13 writes for these operators) and any extra files
 * under {@code extra/}. Nothing here needs Python.
 */
public final class TorchScriptArchive {
    /** The extra file holding the input/output contract (docs/runtimes.md). */
    public static final String IO_ENTRY = "exfacegan.json";
    static final String FOLDER = "archive";
    static final String VERSION = "3\n";

    private TorchScriptArchive() {}

    public static void write(ScriptModule root, Map<String, String> extraFiles, OutputStream to) throws IOException {
        List<float[]> storages = new ArrayList<>();
        Pickle data = new Pickle();
        pickle(root, data, storages);
        try (ZipOutputStream zip = new ZipOutputStream(to)) {
            StringBuilder code = new StringBuilder();
            for (ScriptClass c : root.classes()) {
                code.append(c.source());
            }
            stored(zip, "data.pkl", data.finish());
            stored(zip, "code/__torch__/exfacegan/nn.py", code.toString().getBytes(StandardCharsets.UTF_8));
            stored(zip, "constants.pkl", new Pickle().emptyTuple().finish());
            stored(zip, "version", VERSION.getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                float[] s = storages.get(i);
                ByteBuffer b = ByteBuffer.allocate(4 * s.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(s);
                stored(zip, "data/" + i, b.array());
            }
            for (Map.Entry<String, String> e : extraFiles.entrySet()) {
                stored(zip, "extra/" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    public static byte[] toBytes(ScriptModule root, Map<String, String> extraFiles) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(root, extraFiles, out);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return out.toByteArray();
    }

    /**
     * The same archive (e.g. one libtorch wrote) with one extra file added or replaced: the entries
     * are copied in order, uncompressed, under the archive's own top folder. (libtorch writes its
     * entries with data descriptors, which only the central directory describes: hence a file.)
     */
    public static byte[] withExtraFile(byte[] archive, String name, String content) throws IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("exfacegan-archive", ".pt");
        try {
            java.nio.file.Files.write(tmp, archive);
            ByteArrayOutputStream out = new ByteArrayOutputStream(archive.length + content.length() + 512);
            try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(tmp.toFile());
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                String folder = null;
                for (ZipEntry e : java.util.Collections.list(in.entries())) {
                    if (folder == null) {
                        int slash = e.getName().indexOf('/');
                        if (slash < 1) {
                            throw new IOException("not a TorchScript archive: entry " + e.getName() + " is not inside a folder");
                        }
                        folder = e.getName().substring(0, slash);
                    }
                    if (!e.getName().equals(folder + "/extra/" + name)) {
                        try (java.io.InputStream data = in.getInputStream(e)) {
                            storedAt(zip, e.getName(), data.readAllBytes());
                        }
                    }
                }
                if (folder == null) {
                    throw new IOException("not a TorchScript archive: no entries");
                }
                storedAt(zip, folder + "/extra/" + name, content.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    private static void pickle(ScriptModule m, Pickle p, List<float[]> storages) {
        p.global(ScriptClass.QUALIFIER, m.type().name()).newObject().beginState();
        p.string("training").bool(true);
        for (ScriptClass.Field f : m.type().fields().values()) {
            Object v = m.get(f.name());
            p.string(f.name());
            switch (f.kind()) {
                case PARAMETER, BUFFER -> {
                    ScriptModule.Tensor t = (ScriptModule.Tensor) v;
                    p.floatTensor(Integer.toString(storages.size()), t.shape(),
                            f.kind() == ScriptClass.Kind.PARAMETER && t.trainable());
                    storages.add(t.data());
                }
                case INT -> p.integer(((Number) v).longValue());
                case FLOAT -> p.real((Double) v);
                case BOOL -> p.bool((Boolean) v);
                case MODULE -> pickle((ScriptModule) v, p, storages);
            }
        }
        p.endState();
    }

    /** Uncompressed entries, as torch.jit.save writes them. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        storedAt(zip, FOLDER + "/" + name, content);
    }

    private static void storedAt(ZipOutputStream zip, String path, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(path);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        e.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0)); // the same bytes for the same network
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }
}
