(000) ld       #pktlen
(001) jgt      #0x3e8           jt 4	jf 2
(002) jgt      #0x40            jt 3	jf 4
(003) ret      #0
(004) ret      #262144
