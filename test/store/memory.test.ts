import { createMemoryStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

storeContract('memory', {
  async create() {
    let now = Date.UTC(2026, 0, 1);
    return { store: createMemoryStore(() => now), advance: (ms: number) => (now += ms) };
  },
});
