import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, show } from '../../helpers/util';

test('invalid-value: placeholders in any style are not checked (yourip, YourIP, your-domain.com, YOUR_IP)', () => {
  const text = [
    '<virtual-mta v1>',
    '    smtp-source-host yourip yourdomain.com',
    '</virtual-mta>',
    '<virtual-mta v2>',
    '    smtp-source-host YourIP your-domain.com',
    '</virtual-mta>',
    '<virtual-mta v3>',
    '    smtp-source-host YOUR_IP mail.yourdomain.com',
    '</virtual-mta>',
    '<virtual-mta v4>',
    '    smtp-source-host 192.0.2.1 mail.example.com',
    '    max-smtp-out CHANGEME',
    '</virtual-mta>',
    '',
  ].join('\n');
  assert.deepEqual(show(text, lint(text)), []);
  // a value that is no placeholder is still checked
  const bad = 'smtp-source-host your.ip.here\nsmtp-source-host myip mail.example.com\n';
  assert.deepEqual(show(bad, lint(bad), 'invalid-value'), ['2:18-2:22 "myip" | smtp-source-host: "myip": expected an IP address followed by a host name']);
});

