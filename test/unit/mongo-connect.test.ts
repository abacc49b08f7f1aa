import { createClient, describeHosts, StoreConnectError } from '../../src/store/mongo/index.ts';

test('credential writes use majority, journaled write concern; reads come from the primary', async () => {
  const client = createClient('mongodb://127.0.0.1:1/x', 500);
  expect(client.options.writeConcern?.w).toBe('majority');
  expect(client.options.writeConcern?.journal).toBe(true);
  expect(client.options.readPreference.mode).toBe('primary');
  await client.close();
});

test.each([
  ['mongodb://user:pass@db1:27017,db2:27018/portcullis?replicaSet=rs0', 'db1:27017,db2:27018'],
  ['mongodb+srv://u:p%40ss@cluster0.example.net/app', 'cluster0.example.net'],
  ['mongodb://localhost', 'localhost'],
])('describeHosts(%s) names only the hosts', (uri, hosts) => {
  expect(describeHosts(uri)).toBe(hosts);
});

test('a malformed URI is a StoreConnectError that does not repeat the URI', () => {
  expect(() => createClient('mysql://root:topsecret@db/x', 500)).toThrow(StoreConnectError);
  try {
    createClient('mysql://root:topsecret@db/x', 500);
  } catch (err) {
    expect((err as Error).message).not.toContain('topsecret');
  }
});
