// Loads glossary files with OmegaT's own readers, each in a project of the given target
// language, and prints what OmegaT would offer: "N<TAB>source<TAB>target<TAB>comment" per target
// term, N the pair's position in the arguments (from 1).
// Run with Java's single-file launcher:
//   java -cp /usr/share/omegat/OmegaT.jar GlossaryProbe.java DIR LANG FILE [LANG FILE ...]
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.omegat.core.Core;
import org.omegat.core.data.ProjectProperties;
import org.omegat.core.data.RealProject;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;

public class GlossaryProbe {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (int pair = 1; 2 * pair < args.length; pair++) {
            ProjectProperties properties = new ProjectProperties(new File(args[0]));
            properties.setSourceLanguage("en");
            properties.setTargetLanguage(args[2 * pair - 1]);
            Core.setProject(new RealProject(properties));
            File file = new File(args[2 * pair]);
            List<GlossaryEntry> entries = file.getName().endsWith(".tbx")
                ? GlossaryReaderTBX.read(file, false)
                : GlossaryReaderTSV.read(file, false);
            for (GlossaryEntry entry : entries) {
                String[] terms = entry.getLocTerms(false);
                String[] comments = entry.getComments();
                for (int i = 0; i < terms.length; i++) {
                    String comment = i < comments.length && comments[i] != null ? comments[i] : "";
                    out.println(pair + "\t" + entry.getSrcText() + "\t" + terms[i] + "\t"
                        + comment.replace('\n', ' '));
                }
            }
        }
    }
}
