// Builds a Vespa model from application package directories with Vespa's own config model (the
// Java library a config server deploys with) and reports, per package, what would stop a
// deploy. Driven by `officectl vespa check` / `officectl vespa schema --check`
// (src/vespa/model_check.rs), which fetches the config model with Maven (pom.xml, the version
// is its `vespa.version` property), compiles this file and parses what it prints.
//
//   java -cp CLASSES:CLASSPATH ModelCheck DIR...          one JSON object per DIR, one per line
//   java -cp CLASSES:CLASSPATH ModelCheck --reserved-names  the names Vespa reserves, as JSON
//
// Exit status: 0 when every package passes, 1 when one fails, 2 for a usage error.
//
// The steps are the ones of com.yahoo.vespa.model.VespaModelFactory.createAndValidateModel, the
// config server's path for a deploy: validate the XML files against Vespa's RELAX NG schemas,
// build the VespaModel (which parses and processes every schema), then run the deploy-time
// validators (com.yahoo.vespa.model.application.validation.Validation). Any exception is an
// error. Warnings are what the model logs at WARNING or above through the DeployLogger: each
// fails the package unless it is in ALLOWED with the reason why it cannot mean a refused deploy.

import com.yahoo.component.Vtag;
import com.yahoo.config.application.api.DeployLogger;
import com.yahoo.config.model.api.ValidationParameters;
import com.yahoo.config.model.application.provider.FilesApplicationPackage;
import com.yahoo.config.model.deploy.DeployState;
import com.yahoo.config.model.deploy.TestProperties;
import com.yahoo.vespa.model.VespaModel;
import com.yahoo.vespa.model.application.validation.Validation;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

public final class ModelCheck {

    /** A deploy-log warning that does not fail a package, and why. */
    private record Allowed(String prefix, String reason) {}

    /**
     * Warnings that do not fail the check. Everything else the model logs at WARNING fails it:
     * we generate the package, so a warning means our generator does something Vespa considers
     * wrong or about to be refused (deprecations are warnings until the next major version
     * makes them errors), and a package that is clean today stays reviewable when the version
     * moves. Only warnings about this checker's environment, not about the package, are
     * allowed.
     */
    private static final List<Allowed> ALLOWED = List.of(
            new Allowed("Unable to execute 'vespa-verify-ranksetup-bin",
                        "vespa-verify-ranksetup-bin is a C++ program of a Vespa installation, not part of the Java config model; "
                        + "a config server runs it on deploy, so ranking expressions are only verified there"));

    /** Where the results go; anything the model itself prints goes to stderr instead. */
    private static final PrintStream OUT = System.out;

    public static void main(String[] args) {
        System.setOut(System.err);
        // The model logs its progress through java.util.logging; only the DeployLogger matters.
        Logger.getLogger("").setLevel(Level.SEVERE);
        if (args.length == 1 && args[0].equals("--reserved-names")) {
            System.exit(printReservedNames());
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: ModelCheck DIR... | ModelCheck --reserved-names");
            System.exit(2);
        }
        boolean failed = false;
        for (String dir : args) {
            Result result = check(new File(dir));
            failed |= !result.passed();
            OUT.println(result.json(dir));
            OUT.flush();
        }
        System.exit(failed ? 1 : 0);
    }

    /** One logged message: its level and text, and when allowed, why. */
    private record Logged(String level, String message, String allowedBecause) {}

    private record Result(List<String> errors, List<Logged> warnings, long millis) {

        boolean passed() {
            return errors.isEmpty() && warnings.stream().allMatch(w -> w.allowedBecause() != null);
        }

        String json(String dir) {
            StringBuilder out = new StringBuilder("{\"app\":").append(quote(dir));
            out.append(",\"vespa_version\":").append(quote(Vtag.currentVersion.toFullString()));
            out.append(",\"passed\":").append(passed());
            out.append(",\"errors\":[");
            for (int i = 0; i < errors.size(); i++) {
                out.append(i > 0 ? "," : "").append(quote(errors.get(i)));
            }
            out.append("],\"warnings\":[");
            for (int i = 0; i < warnings.size(); i++) {
                Logged w = warnings.get(i);
                out.append(i > 0 ? "," : "").append("{\"level\":").append(quote(w.level()))
                   .append(",\"message\":").append(quote(w.message()))
                   .append(",\"fatal\":").append(w.allowedBecause() == null);
                if (w.allowedBecause() != null) {
                    out.append(",\"allowed_because\":").append(quote(w.allowedBecause()));
                }
                out.append('}');
            }
            return out.append("],\"millis\":").append(millis).append('}').toString();
        }
    }

    private static Result check(File dir) {
        long start = System.nanoTime();
        List<String> errors = new ArrayList<>();
        List<Logged> warnings = new ArrayList<>();
        DeployLogger logger = (level, message) -> {
            if (level.intValue() >= Level.WARNING.intValue()) {
                String allowed = ALLOWED.stream()
                        .filter(a -> message.startsWith(a.prefix()))
                        .map(Allowed::reason)
                        .findFirst()
                        .orElse(null);
                warnings.add(new Logged(level.getName(), message, allowed));
            }
        };
        try {
            if (!new File(dir, "services.xml").isFile()) {
                throw new IllegalArgumentException("no services.xml in " + dir);
            }
            FilesApplicationPackage pkg = FilesApplicationPackage.fromDir(dir, Map.of());
            pkg.validateXML();
            DeployState state = new DeployState.Builder()
                    .applicationPackage(pkg)
                    .properties(new TestProperties())
                    .deployLogger(logger)
                    .build();
            VespaModel model = new VespaModel(state);
            new Validation().validate(model, new ValidationParameters(), state);
        } catch (Exception | LinkageError e) {
            errors.add(describe(e));
        }
        return new Result(errors, warnings, (System.nanoTime() - start) / 1_000_000);
    }

    /** The message of `e` and its causes, each once, as Vespa's deploy error shows them. */
    private static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 10; t = t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage().strip() : t.getClass().getName();
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
        }
        return String.join(": ", parts);
    }

    /** The reserved names, read from the classes that use them (private fields of Vespa). */
    private static int printReservedNames() {
        try {
            Collection<?> fields = (Collection<?>) staticField("com.yahoo.schema.Schema", "RESERVED_NAMES");
            Collection<?> documents = (Collection<?>) staticField("com.yahoo.schema.processing.ReservedDocumentNames", "RESERVED_NAMES");
            OUT.println("{\"vespa_version\":" + quote(Vtag.currentVersion.toFullString())
                               + ",\"field_names\":" + quoteAll(fields)
                               + ",\"document_names\":" + quoteAll(documents) + "}");
            return 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("cannot read Vespa's reserved names: " + describe(e));
            return 1;
        }
    }

    private static Object staticField(String className, String name) throws ReflectiveOperationException {
        Field field = Class.forName(className).getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    private static String quoteAll(Collection<?> values) {
        StringBuilder out = new StringBuilder("[");
        for (Object value : new TreeSet<>(values.stream().map(String::valueOf).toList())) {
            out.append(out.length() > 1 ? "," : "").append(quote(value.toString()));
        }
        return out.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
