import type { DockerfileModel, Stage } from './model.js';
import { noteTargetLibraries, stageCommands } from './stage-commands.js';
import { stageUses, wholeStageTaken } from './stage-use.js';
import type { ShellWord } from '../parse/shell.js';

/** What a Maven or Gradle stage does, as far as moving it to the build platform goes. */
export interface JvmStage {
  /** The build tool, as written (`./mvnw`). */
  tool: string;
  /** Why its output would change on the build platform, or what stops the move, one short phrase each. */
  blockers: string[];
}

const BUILD_TOOLS = new Set(['mvn', 'mvnw', 'gradle', 'gradlew']);
/** GraalVM native image through Maven, Gradle or Quarkus: a native binary for the platform it runs on. */
const NATIVE_IMAGE =
  /^(?:-P(?:.*,)?native(?:,|$)|native:compile(?:-no-fork)?$|nativeCompile$|-Dnative$|-Dquarkus\.(?:package\.type=native|native\.enabled=true)$)/;
/** Goals and tasks that run the application: they would run the build platform's build. */
const RUNS_APPLICATION = new Set(['exec:java', 'exec:exec', 'spring-boot:run', 'quarkus:dev', 'run', 'bootRun']);
/** Gradle tasks that link a runtime or package a native launcher (badass-jlink, jpackage plugins). */
const RUNTIME_TASKS = new Set(['jlink', 'jlinkZip', 'jpackage', 'jpackageImage']);
/** What a later stage may take: jars and wars, or Maven's and Gradle's output directories. */
const BYTECODE_OUTPUT = /\.(?:jar|war|ear)$|(?:^|\/)target(?:\/|$)|(?:^|\/)build\/libs(?:\/|$)/;
/** A JDK's home: copying it on ships the build platform's JDK once the stage moves. */
const JDK_HOME = /^(?:\/usr\/lib\/jvm|\/opt\/(?:java|jdk)|\$\{?JAVA_HOME\b)/;

/**
 * A stage that runs Maven or Gradle, and what keeps it from moving: a native image, a linked
 * runtime or packaged launcher, the application run in the stage, target libraries, or anything
 * taken from it other than jars, wars and the build tools' output directories. Undefined: no
 * Maven or Gradle.
 */
export function jvmStage(model: DockerfileModel, stage: Stage): JvmStage | undefined {
  let tool: string | undefined;
  const blockers = new Set<string>();
  for (const { word, name, args } of stageCommands(model, stage)) {
    if (noteTargetLibraries(blockers, name, args)) continue;
    if (name === 'native-image') blockers.add('GraalVM native-image (a native binary for the platform it runs on)');
    else if (name === 'jlink') blockers.add('jlink (it links a Java runtime for the platform it runs on)');
    else if (name === 'jpackage') blockers.add('jpackage (it packages a native launcher for the platform it runs on)');
    else if (name === 'java' && args.some((a) => !/^-(?:-?version|showversion)$/.test(a.value)))
      blockers.add(`it runs what it builds (${word.value} ${args[0]!.value})`);
    if (!BUILD_TOOLS.has(name)) continue;
    tool ??= word.value;
    noteBuildArguments(blockers, word.value, args);
  }
  if (!tool) return undefined;
  for (const use of stageUses(model, stage)) {
    if (!use.sources) {
      blockers.add(wholeStageTaken(use));
      continue;
    }
    for (const source of use.sources) {
      if (JDK_HOME.test(source)) blockers.add(`its JDK is copied on (${source})`);
      else if (!BYTECODE_OUTPUT.test(source.replace(/\/+$/, ''))) blockers.add(`${source} is copied on, not only jars`);
    }
  }
  return { tool, blockers: [...blockers] };
}

function noteBuildArguments(blockers: Set<string>, tool: string, args: ShellWord[]): void {
  for (const { value } of args) {
    if (NATIVE_IMAGE.test(value)) blockers.add(`GraalVM native image (${tool} ${value})`);
    else if (RUNTIME_TASKS.has(value))
      blockers.add(`${tool} ${value} (a runtime or launcher for the platform it runs on)`);
    else if (RUNS_APPLICATION.has(value)) blockers.add(`it runs what it builds (${tool} ${value})`);
  }
}
