package io.kakehashi.launcher.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The image tar Jib writes (an OCI image layout in one tar) as a container runtime reads it: index, manifest, config
 * and the layers' files, later layers over earlier ones. Not thread-safe.
 */
final class ImageArchive {

    /** One file of the image's root file system. */
    record Entry(String path, int mode, long uid, long gid, long size, boolean directory, String linkName) {
    }

    private final Map<String, byte[]> blobs = new LinkedHashMap<>();
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageArchive(Path tar) throws IOException {
        var mapper = new ObjectMapper();
        try (var in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    blobs.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        var index = mapper.readTree(blob("index.json"));
        manifest = mapper.readTree(blob(digestPath(index.path("manifests").path(0).path("digest").asText())));
        config = mapper.readTree(blob(digestPath(manifest.path("config").path("digest").asText())));
    }

    static ImageArchive open(Path tar) {
        try {
            return new ImageArchive(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image configuration's {@code config} part: User, Entrypoint, Env, ExposedPorts, Volumes, WorkingDir. */
    JsonNode containerConfig() {
        return config.path("config");
    }

    String architecture() {
        return config.path("architecture").asText();
    }

    /** The layers, gzip-compressed as in the tar, bottom first. */
    List<byte[]> layers() {
        var layers = new ArrayList<byte[]>();
        manifest.path("layers").forEach(layer -> layers.add(blob(digestPath(layer.path("digest").asText()))));
        return layers;
    }

    /** Every path of the root file system (without its leading {@code ./} or {@code /}) as the last layer has it. */
    Map<String, Entry> files() {
        var files = new LinkedHashMap<String, Entry>();
        for (var layer : layers()) {
            try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(layer)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    var path = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
                    if (path.isEmpty()) {
                        continue;
                    }
                    var link = entry.isSymbolicLink() ? entry.getLinkName() : null;
                    files.put(path, new Entry(path, entry.getMode() & 07777, entry.getLongUserId(),
                            entry.getLongGroupId(), entry.getSize(), entry.isDirectory(), link));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private byte[] blob(String name) {
        var bytes = blobs.get(name);
        if (bytes == null) {
            throw new IllegalStateException("the image tar has no " + name);
        }
        return bytes;
    }

    private static String digestPath(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }
}
