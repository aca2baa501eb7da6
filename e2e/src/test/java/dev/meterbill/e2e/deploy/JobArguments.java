package dev.meterbill.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.usage.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks program arguments against what UsageAggregationJob accepts. JobConfig ignores names it
 * does not know (ParameterTool does), so a misspelt argument would silently fall back to a
 * default: each name must visibly change the parsed config, or be refused by its validation.
 */
final class JobArguments {

    private JobArguments() {}

    static JobConfig assertAccepted(List<String> args) {
        return assertAccepted(args, Map.of());
    }

    /** As the job's main() reads them in an environment {@code env}. */
    static JobConfig assertAccepted(List<String> args, Map<String, String> env) {
        assertThat(args.size() % 2).as("--name value pairs: " + args).isZero();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            assertThat(args.get(i)).startsWith("--");
            String name = args.get(i).substring(2);
            assertThat(readsParameter(name, args.get(i + 1))).as("JobConfig reads --" + name).isTrue();
            names.add(name);
        }
        assertThat(names).doesNotHaveDuplicates();
        return JobConfig.fromArgs(args.toArray(String[]::new), env);
    }

    private static boolean readsParameter(String name, String value) {
        JobConfig defaults = JobConfig.defaults();
        for (String probe : List.of(value, "7777", "probe-value")) {
            try {
                if (!JobConfig.fromArgs(new String[] {"--" + name, probe}).equals(defaults)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).contains("--" + name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
