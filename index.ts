/**
 * itl-model as a library: read an event log, replay it through the machines, diagnose locked
 * phones, and read, verify and print ITL files. The CLI (`itl-model`) is built on these.
 */
export { EVENT_TYPES, type EventType, type LogEvent } from './model/events.ts';
export { LogError, type LogProblem } from './model/logError.ts';
export { MAX_PROBLEMS, parseLog, parseLogBytes, type ParsedLog } from './model/parseLog.ts';
export { EVENT_SCHEMAS } from './model/eventSchemas.ts';
export { replay, replayFrom, type Replay, type ReplayOptions } from './machines/replay.ts';
export { diagnose, diagnoseAll, type Diagnosis, type Recovery } from './machines/diagnose.ts';
export { decodeItl } from './model/itl/decodeItl.ts';
export { ItlFormatError, type ItlFile } from './model/itl/itlTypes.ts';
export { verifyItl, type ItlVerdict } from './model/itl/verifyItl.ts';
export { formatShowItl } from './model/itl/formatShowItl.ts';
