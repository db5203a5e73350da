// Service and protocol numbers as Debian's netbase /etc/services and /etc/protocols list them (the table libpcap
// reads on the reference system), built in so the compiler needs no files. Generated once; edit by regenerating.
// Each table is made at its first lookup: most filters name no service, and the CLI's start does not pay for them.

/** Service name -> [tcp, udp, sctp] port, -1 where the name is not defined for that protocol. */
// biome-ignore format: a generated table reads best six entries to a line
export function services(): Readonly<Record<string, readonly [number, number, number]>> {
  servicesBuilt ??= {
  "tcpmux":[1,-1,-1], "echo":[7,7,-1], "discard":[9,9,-1], "sink":[9,9,-1], "null":[9,9,-1], "systat":[11,-1,-1],
  "users":[11,-1,-1], "daytime":[13,13,-1], "netstat":[15,-1,-1], "qotd":[17,-1,-1], "quote":[17,-1,-1], "chargen":[19,19,-1],
  "ttytst":[19,19,-1], "source":[19,19,-1], "ftp-data":[20,-1,-1], "ftp":[21,-1,-1], "fsp":[-1,21,-1], "fspd":[-1,21,-1],
  "ssh":[22,-1,-1], "telnet":[23,-1,-1], "smtp":[25,-1,-1], "mail":[25,-1,-1], "time":[37,37,-1], "timserver":[37,37,-1],
  "whois":[43,-1,-1], "nicname":[43,-1,-1], "tacacs":[49,49,-1], "domain":[53,53,-1], "bootps":[-1,67,-1], "bootpc":[-1,68,-1],
  "tftp":[-1,69,-1], "gopher":[70,-1,-1], "finger":[79,-1,-1], "http":[80,-1,-1], "www":[80,-1,-1], "kerberos":[88,88,-1],
  "kerberos5":[88,88,-1], "krb5":[88,88,-1], "kerberos-sec":[88,88,-1], "iso-tsap":[102,-1,-1], "tsap":[102,-1,-1], "acr-nema":[104,-1,-1],
  "dicom":[104,-1,-1], "pop3":[110,-1,-1], "pop-3":[110,-1,-1], "sunrpc":[111,111,-1], "portmapper":[111,111,-1], "auth":[113,-1,-1],
  "authentication":[113,-1,-1], "tap":[113,-1,-1], "ident":[113,-1,-1], "nntp":[119,-1,-1], "readnews":[119,-1,-1], "untp":[119,-1,-1],
  "ntp":[-1,123,-1], "epmap":[135,-1,-1], "loc-srv":[135,-1,-1], "netbios-ns":[-1,137,-1], "netbios-dgm":[-1,138,-1], "netbios-ssn":[139,-1,-1],
  "imap2":[143,-1,-1], "imap":[143,-1,-1], "snmp":[161,161,-1], "snmp-trap":[162,162,-1], "snmptrap":[162,162,-1], "cmip-man":[163,163,-1],
  "cmip-agent":[164,164,-1], "mailq":[174,-1,-1], "xdmcp":[-1,177,-1], "bgp":[179,-1,-1], "smux":[199,-1,-1], "qmtp":[209,-1,-1],
  "z3950":[210,-1,-1], "wais":[210,-1,-1], "ipx":[-1,213,-1], "ptp-event":[-1,319,-1], "ptp-general":[-1,320,-1], "pawserv":[345,-1,-1],
  "zserv":[346,-1,-1], "rpc2portmap":[369,369,-1], "codaauth2":[370,370,-1], "clearcase":[-1,371,-1], "Clearcase":[-1,371,-1], "ldap":[389,389,-1],
  "svrloc":[427,427,-1], "https":[443,443,-1], "snpp":[444,-1,-1], "microsoft-ds":[445,-1,-1], "kpasswd":[464,464,-1], "submissions":[465,-1,-1],
  "ssmtp":[465,-1,-1], "smtps":[465,-1,-1], "urd":[465,-1,-1], "saft":[487,-1,-1], "isakmp":[-1,500,-1], "rtsp":[554,554,-1],
  "nqs":[607,-1,-1], "asf-rmcp":[-1,623,-1], "qmqp":[628,-1,-1], "ipp":[631,-1,-1], "ldp":[646,646,-1], "exec":[512,-1,-1],
  "biff":[-1,512,-1], "comsat":[-1,512,-1], "login":[513,-1,-1], "who":[-1,513,-1], "whod":[-1,513,-1], "shell":[514,-1,-1],
  "cmd":[514,-1,-1], "syslog":[514,514,-1], "printer":[515,-1,-1], "spooler":[515,-1,-1], "talk":[-1,517,-1], "ntalk":[-1,518,-1],
  "route":[-1,520,-1], "router":[-1,520,-1], "routed":[-1,520,-1], "gdomap":[538,538,-1], "uucp":[540,-1,-1], "uucpd":[540,-1,-1],
  "klogin":[543,-1,-1], "kshell":[544,-1,-1], "krcmd":[544,-1,-1], "dhcpv6-client":[-1,546,-1], "dhcpv6-server":[-1,547,-1], "afpovertcp":[548,-1,-1],
  "nntps":[563,-1,-1], "snntp":[563,-1,-1], "submission":[587,-1,-1], "ldaps":[636,636,-1], "tinc":[655,655,-1], "silc":[706,-1,-1],
  "kerberos-adm":[749,-1,-1], "domain-s":[853,853,-1], "rsync":[873,-1,-1], "ftps-data":[989,-1,-1], "ftps":[990,-1,-1], "telnets":[992,-1,-1],
  "imaps":[993,-1,-1], "pop3s":[995,-1,-1], "socks":[1080,-1,-1], "proofd":[1093,-1,-1], "rootd":[1094,-1,-1], "openvpn":[1194,1194,-1],
  "rmiregistry":[1099,-1,-1], "lotusnote":[1352,-1,-1], "lotusnotes":[1352,-1,-1], "ms-sql-s":[1433,-1,-1], "ms-sql-m":[-1,1434,-1], "ingreslock":[1524,-1,-1],
  "datametrics":[1645,1645,-1], "old-radius":[1645,1645,-1], "sa-msg-port":[1646,1646,-1], "old-radacct":[1646,1646,-1], "kermit":[1649,-1,-1], "groupwise":[1677,-1,-1],
  "l2f":[-1,1701,-1], "l2tp":[-1,1701,-1], "radius":[1812,1812,-1], "radius-acct":[1813,1813,-1], "radacct":[1813,1813,-1], "cisco-sccp":[2000,-1,-1],
  "nfs":[2049,2049,-1], "gnunet":[2086,2086,-1], "rtcm-sc104":[2101,2101,-1], "gsigatekeeper":[2119,-1,-1], "gris":[2135,-1,-1], "cvspserver":[2401,-1,-1],
  "venus":[2430,2430,-1], "venus-se":[2431,2431,-1], "codasrv":[2432,2432,-1], "codasrv-se":[2433,2433,-1], "mon":[2583,2583,-1], "dict":[2628,-1,-1],
  "f5-globalsite":[2792,-1,-1], "gsiftp":[2811,-1,-1], "gpsd":[2947,-1,-1], "gds-db":[3050,-1,-1], "gds_db":[3050,-1,-1], "icpv2":[-1,3130,-1],
  "icp":[-1,3130,-1], "isns":[3205,3205,-1], "iscsi-target":[3260,-1,-1], "mysql":[3306,-1,-1], "ms-wbt-server":[3389,-1,-1], "nut":[3493,3493,-1],
  "distcc":[3632,-1,-1], "daap":[3689,-1,-1], "svn":[3690,-1,-1], "subversion":[3690,-1,-1], "suucp":[4031,-1,-1], "sysrqd":[4094,-1,-1],
  "sieve":[4190,-1,-1], "epmd":[4369,-1,-1], "remctl":[4373,-1,-1], "f5-iquery":[4353,-1,-1], "ntske":[4460,-1,-1], "ipsec-nat-t":[-1,4500,-1],
  "iax":[-1,4569,-1], "mtn":[4691,-1,-1], "radmin-port":[4899,-1,-1], "sip":[5060,5060,-1], "sip-tls":[5061,5061,-1], "xmpp-client":[5222,-1,-1],
  "jabber-client":[5222,-1,-1], "xmpp-server":[5269,-1,-1], "jabber-server":[5269,-1,-1], "cfengine":[5308,-1,-1], "mdns":[-1,5353,-1], "postgresql":[5432,-1,-1],
  "postgres":[5432,-1,-1], "freeciv":[5556,-1,-1], "rptp":[5556,-1,-1], "amqps":[5671,-1,-1], "amqp":[5672,-1,5672], "x11":[6000,-1,-1],
  "x11-0":[6000,-1,-1], "x11-1":[6001,-1,-1], "x11-2":[6002,-1,-1], "x11-3":[6003,-1,-1], "x11-4":[6004,-1,-1], "x11-5":[6005,-1,-1],
  "x11-6":[6006,-1,-1], "x11-7":[6007,-1,-1], "gnutella-svc":[6346,6346,-1], "gnutella-rtr":[6347,6347,-1], "redis":[6379,-1,-1], "sge-qmaster":[6444,-1,-1],
  "sge_qmaster":[6444,-1,-1], "sge-execd":[6445,-1,-1], "sge_execd":[6445,-1,-1], "mysql-proxy":[6446,-1,-1], "babel":[-1,6696,-1], "ircs-u":[6697,-1,-1],
  "bbs":[7000,-1,-1], "afs3-fileserver":[-1,7000,-1], "afs3-callback":[-1,7001,-1], "afs3-prserver":[-1,7002,-1], "afs3-vlserver":[-1,7003,-1], "afs3-kaserver":[-1,7004,-1],
  "afs3-volser":[-1,7005,-1], "afs3-bos":[-1,7007,-1], "afs3-update":[-1,7008,-1], "afs3-rmtsys":[-1,7009,-1], "font-service":[7100,-1,-1], "xfs":[7100,-1,-1],
  "http-alt":[8080,-1,-1], "webcache":[8080,-1,-1], "puppet":[8140,-1,-1], "bacula-dir":[9101,-1,-1], "bacula-fd":[9102,-1,-1], "bacula-sd":[9103,-1,-1],
  "xmms2":[9667,-1,-1], "nbd":[10809,-1,-1], "zabbix-agent":[10050,-1,-1], "zabbix-trapper":[10051,-1,-1], "amanda":[10080,-1,-1], "hkp":[11371,-1,-1],
  "db-lsp":[17500,-1,-1], "dcap":[22125,-1,-1], "gsidcap":[22128,-1,-1], "wnn6":[22273,-1,-1], "rtmp":[-1,-1,-1], "nbp":[-1,-1,-1],
  "zip":[-1,-1,-1], "kerberos4":[750,750,-1], "kerberos-iv":[750,750,-1], "kdc":[750,750,-1], "kerberos-master":[751,751,-1], "kerberos_master":[-1,751,-1],
  "passwd-server":[-1,752,-1], "passwd_server":[-1,752,-1], "krb-prop":[754,-1,-1], "krb_prop":[754,-1,-1], "krb5_prop":[754,-1,-1], "hprop":[754,-1,-1],
  "zephyr-srv":[-1,2102,-1], "zephyr-clt":[-1,2103,-1], "zephyr-hm":[-1,2104,-1], "iprop":[2121,-1,-1], "supfilesrv":[871,-1,-1], "supfiledbg":[1127,-1,-1],
  "poppassd":[106,-1,-1], "moira-db":[775,-1,-1], "moira_db":[775,-1,-1], "moira-update":[777,-1,-1], "moira_update":[777,-1,-1], "moira-ureg":[-1,779,-1],
  "moira_ureg":[-1,779,-1], "spamd":[783,-1,-1], "skkserv":[1178,-1,-1], "predict":[-1,1210,-1], "rmtcfg":[1236,-1,-1], "xtel":[1313,-1,-1],
  "xtelw":[1314,-1,-1], "zebrasrv":[2600,-1,-1], "zebra":[2601,-1,-1], "ripd":[2602,-1,-1], "ripngd":[2603,-1,-1], "ospfd":[2604,-1,-1],
  "bgpd":[2605,-1,-1], "ospf6d":[2606,-1,-1], "ospfapi":[2607,-1,-1], "isisd":[2608,-1,-1], "fax":[4557,-1,-1], "hylafax":[4559,-1,-1],
  "munin":[4949,-1,-1], "lrrd":[4949,-1,-1], "rplay":[-1,5555,-1], "nrpe":[5666,-1,-1], "nsca":[5667,-1,-1], "canna":[5680,-1,-1],
  "syslog-tls":[6514,-1,-1], "sane-port":[6566,-1,-1], "sane":[6566,-1,-1], "saned":[6566,-1,-1], "ircd":[6667,-1,-1], "zope-ftp":[8021,-1,-1],
  "tproxy":[8081,-1,-1], "omniorb":[8088,-1,-1], "clc-build-daemon":[8990,-1,-1], "xinetd":[9098,-1,-1], "git":[9418,-1,-1], "zope":[9673,-1,-1],
  "webmin":[10000,-1,-1], "kamanda":[10081,-1,-1], "amandaidx":[10082,-1,-1], "amidxtape":[10083,-1,-1], "sgi-cmsd":[-1,17001,-1], "sgi-crsd":[-1,17002,-1],
  "sgi-gcd":[-1,17003,-1], "sgi-cad":[17004,-1,-1], "binkp":[24554,-1,-1], "asp":[27374,27374,-1], "csync2":[30865,-1,-1], "dircproxy":[57000,-1,-1],
  "tfido":[60177,-1,-1], "fido":[60179,-1,-1],
  };
  return servicesBuilt;
}
let servicesBuilt: Readonly<Record<string, readonly [number, number, number]>> | undefined;

/** IP protocol name -> number. */
// biome-ignore format: a generated table
export function ipProtocols(): Readonly<Record<string, number>> {
  ipProtocolsBuilt ??= {
  "ip": 0, "IP": 0, "hopopt": 0, "HOPOPT": 0, "icmp": 1, "ICMP": 1, "igmp": 2, "IGMP": 2,
  "ggp": 3, "GGP": 3, "ipencap": 4, "IP-ENCAP": 4, "st": 5, "ST": 5, "tcp": 6, "TCP": 6,
  "egp": 8, "EGP": 8, "igp": 9, "IGP": 9, "pup": 12, "PUP": 12, "udp": 17, "UDP": 17,
  "hmp": 20, "HMP": 20, "xns-idp": 22, "XNS-IDP": 22, "rdp": 27, "RDP": 27, "iso-tp4": 29, "ISO-TP4": 29,
  "dccp": 33, "DCCP": 33, "xtp": 36, "XTP": 36, "ddp": 37, "DDP": 37, "idpr-cmtp": 38, "IDPR-CMTP": 38,
  "ipv6": 41, "IPv6": 41, "ipv6-route": 43, "IPv6-Route": 43, "ipv6-frag": 44, "IPv6-Frag": 44, "idrp": 45, "IDRP": 45,
  "rsvp": 46, "RSVP": 46, "gre": 47, "GRE": 47, "esp": 50, "IPSEC-ESP": 50, "ah": 51, "IPSEC-AH": 51,
  "skip": 57, "SKIP": 57, "ipv6-icmp": 58, "IPv6-ICMP": 58, "ipv6-nonxt": 59, "IPv6-NoNxt": 59, "ipv6-opts": 60, "IPv6-Opts": 60,
  "rspf": 73, "RSPF": 73, "CPHB": 73, "vmtp": 81, "VMTP": 81, "eigrp": 88, "EIGRP": 88, "ospf": 89,
  "OSPFIGP": 89, "ax.25": 93, "AX.25": 93, "ipip": 94, "IPIP": 94, "etherip": 97, "ETHERIP": 97, "encap": 98,
  "ENCAP": 98, "pim": 103, "PIM": 103, "ipcomp": 108, "IPCOMP": 108, "vrrp": 112, "VRRP": 112, "l2tp": 115,
  "L2TP": 115, "isis": 124, "ISIS": 124, "sctp": 132, "SCTP": 132, "fc": 133, "FC": 133, "mobility-header": 135,
  "Mobility-Header": 135, "udplite": 136, "UDPLite": 136, "mpls-in-ip": 137, "MPLS-in-IP": 137, "manet": 138, "hip": 139, "HIP": 139,
  "shim6": 140, "Shim6": 140, "wesp": 141, "WESP": 141, "rohc": 142, "ROHC": 142, "ethernet": 143, "Ethernet": 143,
  "mptcp": 262, "MPTCP": 262,
  };
  return ipProtocolsBuilt;
}
let ipProtocolsBuilt: Readonly<Record<string, number>> | undefined;
