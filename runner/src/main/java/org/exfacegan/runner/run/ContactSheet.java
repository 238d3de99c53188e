package org.exfacegan.runner.run;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.layout.RunLayout;

/** One row per identity: the reference crop, a gap, then the identity's first samples. */
public final class ContactSheet {
    /** Side of one image's cell, in pixels. */
    public static final int CELL = 112;
    /** Space around and between cells (twice between the reference and the samples). */
    public static final int GAP = 8;
    /** Samples shown per identity. */
    public static final int COLUMNS = 8;

    private ContactSheet() {}

    static byte[] render(RunFolder folder, List<Identity> identities, int rows, int columns) {
        int n = Math.min(rows, identities.size());
        int cell = CELL;
        int gap = GAP;
        BufferedImage sheet = new BufferedImage(gap + (cell + gap) * (columns + 1) + gap, gap + (cell + gap) * n,
                BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = sheet.createGraphics();
        g.setColor(new Color(40, 40, 40));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int r = 0; r < n; r++) {
            Identity id = identities.get(r);
            int y = gap + r * (cell + gap);
            draw(g, folder.resolve(RunLayout.referenceCrop(id.name())), gap, y, cell);
            for (int c = 0; c < columns; c++) {
                Path p = folder.resolve(RunLayout.image(RunLayout.IMAGES, id.name(), c));
                if (Files.exists(p)) {
                    draw(g, p, gap + (cell + gap) * (c + 1) + gap, y, cell);
                }
            }
        }
        g.dispose();
        return Png.encode(sheet);
    }

    private static void draw(Graphics2D g, Path png, int x, int y, int cell) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            g.drawImage(img, x, y, cell, cell, null);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + png + " for the contact sheet: " + e.getMessage(), e);
        }
    }
}
