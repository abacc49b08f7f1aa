import { createMemoryStore } from '../../src/store/index.ts';
import { storeContract, type ContractContext } from './contract.ts';
import { securityEventsContract } from './events-contract.ts';
import { rateLimitContract } from './rate-limit-contract.ts';
import { throttleContract } from './throttle-contract.ts';

const memory: ContractContext = {
  async create() {
    let now = Date.UTC(2026, 0, 1);
    return { store: createMemoryStore(() => now), advance: (ms: number) => (now += ms) };
  },
};

storeContract('memory', memory);
throttleContract('memory', memory);
rateLimitContract('memory', memory);
securityEventsContract('memory', memory);
