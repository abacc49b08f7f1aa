/**
 * oidc-provider fixes its signing keys when it is constructed (DESIGN.md), so a key rotation step means
 * building a new Provider over the same store and configuration and swapping it in. Sessions,
 * interactions and tokens live in the store and cookies use the same keys, so nothing in flight is lost:
 * requests already inside the old instance finish there, new ones reach the new one.
 *
 * Modules hold `handle.provider`, a stand-in that forwards every property read to the current
 * instance (methods bound to it), so they never keep a stale Provider.
 */
import type { default as Provider } from 'oidc-provider';

export interface ProviderHandle {
  /** Always the current instance's behaviour. */
  readonly provider: Provider;
  readonly current: Provider;
  swap(next: Provider): void;
}

/** True for methods (to be bound to the instance), false for getters such as `Client` (model classes). */
function isMethod(target: object, property: PropertyKey): boolean {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, property);
    if (descriptor) return typeof descriptor.value === 'function';
  }
  return false;
}

export function createProviderHandle(initial: Provider): ProviderHandle {
  let current = initial;
  const provider = new Proxy({} as Provider, {
    get(_target, property) {
      const value: unknown = Reflect.get(current, property, current);
      return isMethod(current, property) ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
    set(_target, property, value) {
      return Reflect.set(current, property, value, current);
    },
  });
  return {
    provider,
    get current() {
      return current;
    },
    swap(next) {
      current = next;
    },
  };
}
