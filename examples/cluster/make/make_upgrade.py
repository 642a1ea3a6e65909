#!/usr/bin/env python3
"""Makes examples/cluster/upgrade/: the sample cluster with files from before its upgrade (see README.md).

The same CUCM 12.5(1)SU3 cluster as examples/cluster/, whose history now goes back further:

  - 2019-06-01, CUCM 9.1(2): the publisher's ITL of the time (no ITLRecovery yet), signed by the
    CallManager certificate of the time;
  - 2022-11-02, CUCM 11.5(1)SU7: the publisher's ITL, signed by the CallManager certificate of the
    time, with the ITLRecovery certificate of 11.5;
  - 2023-04-10, right after the refresh upgrade to 12.5(1)SU1, which regenerated CallManager: each
    node's first 12.5 ITL, signed by the ITLRecovery carried over from 11.5 (FN70613's regeneration
    replaced it);
  - then the files of examples/cluster/ (copied here): 2024-05-14 and the current ones.

Every file is written by `tlvfile` (usecallmanager.nz), an implementation of the TLV format independent
of itl-model. The certificates still in use are taken from examples/cluster/'s own files (their records
carry them whole); the older ones are made here, with keys that are deleted at the end.

Usage, from the repository root, after make_cluster.py:

    python3 examples/cluster/make/make_upgrade.py [PATH-TO-tlvfile]
"""
import datetime
import os
import shutil
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import serialization

sys.argv = sys.argv[:2]
import make_cluster as mc  # noqa: E402  (its main() runs only as a script)

OUT = os.path.join(mc.FOLDER, 'upgrade')
PUB, SUB, DOMAIN = mc.PUB, mc.SUB, mc.DOMAIN
ORG = {'OU': 'voice', 'O': 'Example', 'L': 'Raleigh', 'ST': 'NC'}

Y2019 = datetime.datetime(2019, 6, 1, 9, 0, 0, tzinfo=datetime.timezone.utc)
Y2022 = datetime.datetime(2022, 11, 2, 9, 0, 0, tzinfo=datetime.timezone.utc)
UPGRADE = datetime.datetime(2023, 4, 10, 9, 0, 0, tzinfo=datetime.timezone.utc)


def certificates(path):
    """Every whole certificate a TLV file's records carry, by (CN, serial)."""
    data = open(path, 'rb').read()
    found = {}
    for i in range(len(data) - 4):
        if data[i] == 0x30 and data[i + 1] == 0x82:
            length = 4 + (data[i + 2] << 8) + data[i + 3]
            try:
                cert = x509.load_der_x509_certificate(data[i:i + length])
            except ValueError:
                continue
            cn = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value
            found[(cn, cert.serial_number)] = cert
    return found


def save(folder, file, cert):
    with open(os.path.join(folder, file + '.crt'), 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def by_cn(certs, cn):
    return [c for (name, _), c in certs.items() if name == cn]


def main():
    pub_now = certificates(os.path.join(mc.FOLDER, 'tftp', PUB, 'ITLFile.tlv'))
    sub_now = certificates(os.path.join(mc.HERE, f'{SUB}-ITLFile.tlv'))
    pub_old = certificates(os.path.join(mc.FOLDER, 'history', f'{PUB}-ITLFile-2024-05-14.tlv'))
    shutil.rmtree(OUT, ignore_errors=True)
    for sub in ('tftp/' + PUB, 'tftp/' + SUB, 'history'):
        os.makedirs(os.path.join(OUT, sub))
    with tempfile.TemporaryDirectory() as keys:
        k = lambda f: os.path.join(keys, f)  # noqa: E731
        # In use now: tlvfile writes records in the order given, so the node's CallManager record is the
        # one whose serial is in the TFTP record; the first cucm-pub CN is its CallManager, the next its TVS.
        cm_pub, tvs_pub = by_cn(pub_now, f'{PUB}.{DOMAIN}')
        cm_sub, tvs_sub = by_cn(sub_now, f'{SUB}.{DOMAIN}')
        tvs_pub_old = [c for c in by_cn(pub_old, f'{PUB}.{DOMAIN}') if c.serial_number != cm_pub.serial_number][0]
        capf = [c for (cn, _), c in pub_now.items() if cn.startswith('CAPF-')][0]
        for file, cert in [('cm-pub', cm_pub), ('cm-sub', cm_sub), ('tvs-sub', tvs_sub),
                           ('tvs-pub-old', tvs_pub_old), ('capf', capf)]:
            save(keys, file, cert)
        # Older certificates, with keys of their own (deleted with the temporary folder).
        for file, cn, start, years in [
            ('cm-pub-2019', f'{PUB}.{DOMAIN}', Y2019 - datetime.timedelta(days=30), 5),
            ('tvs-pub-2019', f'{PUB}.{DOMAIN}', Y2019 - datetime.timedelta(days=30), 5),
            ('capf-2019', 'CAPF-' + os.urandom(4).hex(), Y2019 - datetime.timedelta(days=30), 5),
            ('cm-pub-2022', f'{PUB}.{DOMAIN}', Y2022 - datetime.timedelta(days=300), 5),
            ('tvs-pub-2022', f'{PUB}.{DOMAIN}', Y2022 - datetime.timedelta(days=300), 5),
            ('tvs-sub-2022', f'{SUB}.{DOMAIN}', Y2022 - datetime.timedelta(days=300), 5),
            ('capf-2022', 'CAPF-' + os.urandom(4).hex(), Y2022 - datetime.timedelta(days=300), 5),
            ('itlr-2022', f'ITLRECOVERY_{PUB}.{DOMAIN}', Y2022 - datetime.timedelta(days=300), 5),
        ]:
            mc.self_signed(keys, file, cn, ORG, start, years)

        hist = lambda name: os.path.join(OUT, 'history', name)  # noqa: E731
        files = {
            # 9.1: CallManager signs; no ITLRecovery.
            'pub-2019': (Y2019, hist(f'{PUB}-ITLFile-2019-06-01.tlv'),
                         ['--sast', k('cm-pub-2019.pem'), '--tftp', k('cm-pub-2019.crt'),
                          '--capf', k('capf-2019.crt'), '--tvs', k('tvs-pub-2019.crt')]),
            # 11.5: CallManager signs; the ITLRecovery of 11.5 is a SAST record.
            'pub-2022': (Y2022, hist(f'{PUB}-ITLFile-2022-11-02.tlv'),
                         ['--sast', k('cm-pub-2022.pem'), '--tftp', k('cm-pub-2022.crt'),
                          '--capf', k('capf-2022.crt'), '--tvs', k('tvs-pub-2022.crt'),
                          '--tvs', k('tvs-sub-2022.crt'), '--sast', k('itlr-2022.crt')]),
            # 12.5(1)SU1, first build: the ITLRecovery of 11.5 signs; CallManager, TVS and CAPF are today's
            # (the publisher's TVS before its 2024 regeneration).
            'pub-2023': (UPGRADE, hist(f'{PUB}-ITLFile-2023-04-10.tlv'),
                         ['--sast', k('itlr-2022.pem'), '--sast', k('cm-pub.crt'), '--tftp', k('cm-pub.crt'),
                          '--capf', k('capf.crt'), '--tvs', k('tvs-pub-old.crt'), '--tvs', k('tvs-sub.crt')]),
            'sub-2023': (UPGRADE, hist(f'{SUB}-ITLFile-2023-04-10.tlv'),
                         ['--sast', k('itlr-2022.pem'), '--sast', k('cm-sub.crt'), '--tftp', k('cm-sub.crt'),
                          '--capf', k('capf.crt'), '--tvs', k('tvs-pub-old.crt'), '--tvs', k('tvs-sub.crt')]),
        }
        for when, out, args in files.values():
            tmp = os.path.join(keys, 'ITLFile.tlv')
            mc.tlvfile_at(when, tmp, *args)
            os.replace(tmp, out)
    # The private keys are gone with the temporary folder.

    for path in (f'tftp/{PUB}/ITLFile.tlv', f'tftp/{SUB}/show-itl.txt',
                 f'history/{PUB}-ITLFile-2024-05-14.tlv', f'history/{SUB}-ITLFile-2024-05-14.tlv'):
        shutil.copyfile(os.path.join(mc.FOLDER, path), os.path.join(OUT, path))
    parsed = [f'==> {os.path.relpath(out, OUT)} ({label}) sha1 {mc.sha1(out)}\n{mc.parse(out)}'
              for label, (_, out, _) in files.items()]
    with open(os.path.join(mc.HERE, 'tlvfile-parse-upgrade.txt'), 'w') as f:
        f.write('\n'.join(parsed))

    h = {label: mc.sha1(out) for label, (_, out, _) in files.items()}
    h['pub'] = mc.sha1(os.path.join(OUT, 'tftp', PUB, 'ITLFile.tlv'))
    h['history-sub'] = mc.sha1(os.path.join(OUT, 'history', f'{SUB}-ITLFile-2024-05-14.tlv'))
    h['foreign'] = mc.sha1(os.path.join(mc.HERE, 'foreign-ITLFile.tlv'))
    both, back = f'{PUB};{SUB}', f'{SUB};{PUB}'
    rows = [
        ('SEP0011BB000001', PUB, both, 'Registered', h['pub']),
        ('SEP0011BB000002', SUB, back, 'Unregistered', h['history-sub']),
        ('SEP0011BB000003', SUB, back, 'Unregistered', h['sub-2023']),
        ('SEP0011BB000004', PUB, PUB, 'Unregistered', h['pub-2023']),
        ('SEP0011BB000005', PUB, both, 'Unregistered', h['pub-2022']),
        ('SEP0011BB000006', PUB, PUB, 'Unregistered', h['pub-2019']),
        ('SEP0011BB000007', PUB, both, 'Registered', h['foreign']),
    ]
    with open(os.path.join(OUT, 'phones.csv'), 'w', newline='') as f:
        f.write('Device Name,TFTP,TVS,Status,ITL Hash\r\n')
        for row in rows:
            f.write(','.join(row) + '\r\n')
    with open(os.path.join(OUT, 'cluster.json'), 'w') as f:
        f.write('{\n'
                '  "version": "12.5(1)SU3",\n'
                '  "securityMode": "non-secure",\n'
                '  "versions": ["9.1(2)", "11.5(1)SU7", "12.5(1)SU1", "12.5(1)SU3"],\n'
                '  "itlRecoveryBackup": "2022-12-01T10:00:00Z",\n'
                '  "nodes": [\n'
                f'    {{ "name": "{PUB}", "hostname": "{PUB}.{DOMAIN}", "role": "publisher", "tftp": true }},\n'
                f'    {{ "name": "{SUB}", "hostname": "{SUB}.{DOMAIN}", "role": "subscriber", "tftp": true }}\n'
                '  ]\n'
                '}\n')
    for label, value in h.items():
        print(f'{label:12} {value}')


main()
