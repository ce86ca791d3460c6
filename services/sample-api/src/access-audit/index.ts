// The access-audit library (safeguard U5): event format v1, the writer, and its sinks.
export * from './access-audit-context';
export * from './access-audit-error';
export * from './access-audit-event';
export * from './access-audit-writer';
export * from './firehose-audit-sink';
export * from './memory-audit-sink';
