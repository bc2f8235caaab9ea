/** A scripted local Responses-API model for driving the real Codex CLI offline (tests, `vaibot demo`). */
export { exec, patch, addFilePatch, mcp } from './script.js';
export type { FakeExecCall, FakePatchCall, FakeMcpCall, FakeToolCall, FakeTurn, FakeScript } from './script.js';
export { defaultCallId } from './responseItems.js';
export { startFakeModel } from './server.js';
export type { FakeModelServer, FakeModelOptions, RecordedRequest } from './server.js';
export type { ToolOutput } from './toolOutputs.js';
export { toolOutputsOf } from './toolOutputs.js';
export { writeFakeModelConfig, FAKE_MODEL_API_KEY_ENV, FAKE_MODEL_SLUG } from './config.js';
