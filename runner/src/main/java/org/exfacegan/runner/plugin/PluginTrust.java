package org.exfacegan.runner.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Who could have placed or replaced a plugin, judged from owners and permissions (POSIX only). */
final class PluginTrust {
    private PluginTrust() {}

    /**
     * Why the plugin at {@code location} might have been placed or swapped by someone else, or
     * null when only this user (or root) could have: a jar or folder owned by another user,
     * writable by everyone, or a plugins folder everyone may write to without the sticky bit.
     */
    static String distrust(Path location, Path pluginsDir) {
        if (Files.getFileAttributeView(pluginsDir, PosixFileAttributeView.class) == null) {
            return null; // no owners or permission bits to judge by
        }
        String me = System.getProperty("user.name");
        List<String> why = new ArrayList<>();
        try {
            PosixFileAttributes dir = Files.readAttributes(pluginsDir, PosixFileAttributes.class);
            if (dir.permissions().contains(PosixFilePermission.OTHERS_WRITE) && !sticky(pluginsDir)) {
                why.add("the plugins folder " + pluginsDir + " is writable by every user");
            }
            String owner = dir.owner().getName();
            if (!owner.equals(me) && !owner.equals("root")) {
                why.add("the plugins folder " + pluginsDir + " belongs to user '" + owner + "'");
            }
            List<Path> paths = new ArrayList<>(List.of(location));
            if (Files.isDirectory(location)) {
                try (var s = Files.list(location)) {
                    paths.addAll(s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList());
                }
            }
            for (Path p : paths) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String o = a.owner().getName();
                if (!o.equals(me) && !o.equals("root")) {
                    why.add(p.getFileName() + " was placed by user '" + o + "'");
                }
                if (a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                    why.add(p.getFileName() + " is writable by every user");
                }
                if (a.isSymbolicLink()) {
                    why.add(p.getFileName() + " is a symbolic link to " + Files.readSymbolicLink(p));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            why.add("cannot read its owner and permissions (" + e.getClass().getSimpleName() + ")");
        }
        return why.isEmpty() ? null : String.join(", ", why);
    }

    private static boolean sticky(Path dir) {
        try {
            return (((Integer) Files.getAttribute(dir, "unix:mode")) & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Copies of the jars in a fresh folder only this user can read or write. */
    static List<Path> privateCopies(List<Path> jars) throws IOException {
        Path dir;
        try {
            dir = Files.createTempDirectory("exfacegan-plugin-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            dir = Files.createTempDirectory("exfacegan-plugin-"); // not POSIX: the user's own temp folder
        }
        dir.toFile().deleteOnExit();
        List<Path> out = new ArrayList<>();
        for (Path jar : jars) {
            Path copy = dir.resolve(jar.getFileName());
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            copy.toFile().deleteOnExit();
            out.add(copy);
        }
        return out;
    }
}
