# Mistakes `mypy --strict` must find in code using dnsbl (python/typing_test.sh
# expects one error on each line marked with its code, and no others).
import dnsbl

dnsbl.Checker(timeout="2s")  # expect: arg-type
dnsbl.Checker(nameserver=["127.0.0.1"])  # expect: call-arg
checker = dnsbl.Checker(nameservers="127.0.0.1:5353", txt=False)
report = checker.check("192.0.2.1")
report["summry"]  # expect: typeddict-item
listed: int = report["results"][0]["codes"]  # expect: assignment
status: dnsbl.Status = "LISTD"  # expect: assignment
for r in dnsbl.bulk(["192.0.2.1"], strict=True, shard="1/2"):
    r["address"].decode()  # expect: attr-defined
dnsbl.zones(shard="1/2")  # expect: call-arg
