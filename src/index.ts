/**
 * ackcheck's public API: certify() / replay() and their options and results, the processor
 * and runtime interfaces, the suites runner, reports, configuration, and the broker control,
 * provisioning and round trips they build on. vitest helpers live in `ackcheck/vitest`, the
 * ready-made suites in `ackcheck/suites`.
 */
export {
  type BrokerFault,
  type BrokerInfo,
  DEFAULT_READY_TIMEOUT_MS,
  StartedBroker,
  waitUntilReady,
} from './brokers/container/started-broker.ts';
export {
  BROKER_IDS,
  BROKER_VERSIONS,
  type BrokerId,
  type BrokerKind,
  type BrokerName,
  type BrokerVersion,
  brokerVersion,
  parseBrokerSelection,
  resolveBrokerId,
} from './brokers/registry.ts';
export { type AcquireOptions, acquireBrokers, type BrokerFleet } from './brokers/container/fleet.ts';
export { type KafkaTopic, provisionTopic } from './brokers/kafka/admin.ts';
export { kafkaClient } from './brokers/kafka/client.ts';
export { provisionQueue, type QueueType, type RabbitmqQueue } from './brokers/rabbitmq/admin.ts';
export { openRoundTripper } from './brokers/registry.ts';
export { type RoundTripOptions, type RoundTripper, type RoundTripResult } from './brokers/roundtrip.ts';
export { findSharedBroker, type StartBrokerOptions, startBroker } from './brokers/container/start-broker.ts';
export {
  type AckcheckConfig,
  configSchema,
  defineConfig,
  loadConfig,
  parseConfig,
  type ProcessorConfig,
} from './config/index.ts';
export { EXTERNAL_ENV, externalBroker, needsContainer } from './brokers/container/external.ts';
export type { ConsumerTimeout, ProxiedListener } from './brokers/container/recipe.ts';
export { type ConsumerPath, openConsumerPath } from './nemesis/network.ts';
export { type ProxyMode, type ProxyOptions, type ProxyStats, TcpProxy } from './nemesis/proxy.ts';
export { AckcheckError, type AckcheckErrorCode, isAckcheckError } from './errors.ts';
export {
  type Runtime,
  type RuntimeContext,
  type RuntimeFactory,
  type Delivery,
  type RunTarget,
  type RuntimeOptions,
  type StepOrder,
} from './runtime/runtime.ts';
export { kafkaConsumerFor, kafkaDelivery, kafkaRuntime } from './brokers/kafka/runtime.ts';
export { Redeliveries } from './brokers/kafka/redeliveries.ts';
// The optional clients: their packages are optional peer dependencies, imported on first use.
export {
  CONFLUENT_CONSUMER_TIMINGS,
  type ConfluentConsumerConfig,
  confluentConsumerFor,
  confluentDelivery,
  loadConfluent,
} from './brokers/kafka/clients/confluent/client.ts';
export { confluentRuntime } from './brokers/kafka/clients/confluent/runtime.ts';
export {
  loadPlatformatic,
  PLATFORMATIC_CONSUMER_TIMINGS,
  platformaticConsumerFor,
  platformaticDelivery,
  platformaticOwns,
} from './brokers/kafka/clients/platformatic/client.ts';
export { platformaticRuntime } from './brokers/kafka/clients/platformatic/runtime.ts';
export {
  amqpDelivery,
  type AmqpSession,
  openAmqpSession,
  rabbitmqRuntime,
} from './brokers/rabbitmq/runtime.ts';
export { check, type CheckInput } from './check/index.ts';
export { scenarioArbitrary, type ScenarioOptions } from './generate/index.ts';
export {
  certify,
  type CertifyOptions,
  type CertifyProgress,
  type CertifyResult,
  type Counterexample,
  type ReportedFinding,
  DEFAULT_FAULT_KINDS,
  type ReplayFile,
} from './harness/certify.ts';
export { replay, type ReplayOptions } from './harness/replay.ts';
export type { GenerationSettings, RunSettings } from './harness/replay-file.ts';
export { defaultCheckOrder } from './harness/run-settings.ts';
export type { RunOutcome } from './harness/run-scenario.ts';
export * from './model/index.ts';
export { defineProcessor, type ProcessContext, type Processor } from './model/processor.ts';
export {
  type CellBudget,
  type CellResult,
  type Expectation,
  moduleBeside,
  type Observation,
  PROFILES,
  type ProfileName,
  runCell,
  runSuite,
  type RunSuiteOptions,
  type Suite,
  type SuiteCell,
  type SuiteProgress,
  type SuiteResult,
} from './harness/suite.ts';
export {
  formatHtml,
  formatJunit,
  formatResult,
  jsonReport,
  type JsonReport,
  type FormatOptions,
  REPORT_FORMATS,
  type ReportFormat,
  type ReportPaths,
  resultStatus,
  type ResultStatus,
  writeReports,
  type WriteReportsOptions,
} from './report/index.ts';
