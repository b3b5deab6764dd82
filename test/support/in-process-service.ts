import { loadEnv } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/main.js';
import { POLICY_YAML, type PurchaseScenario } from './purchase-scenario.js';

export interface InProcessService {
  service: Service;
  baseUrl: string;
  close(): Promise<void>;
}

/** The same composition root `odoo-chatops start` uses, in this process, for tests that need its internals. */
export async function startInProcess(
  s: PurchaseScenario,
  options: { policyYaml?: string; env?: Record<string, string> } = {},
): Promise<InProcessService> {
  const env = loadEnv({ ...s.env, ...options.env });
  const policy = parsePolicy(options.policyYaml ?? POLICY_YAML);
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const service = await startService(env, policy, { role: 'all', log });
  return { service, baseUrl: `http://127.0.0.1:${service.port}`, close: () => service.close() };
}
