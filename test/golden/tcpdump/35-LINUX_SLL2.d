(000) ldh      [0]
(001) jeq      #0x800           jt 2	jf 4
(002) ldb      [29]
(003) jeq      #0x11            jt 10	jf 11
(004) jeq      #0x86dd          jt 5	jf 11
(005) ldb      [26]
(006) jeq      #0x11            jt 10	jf 7
(007) jeq      #0x2c            jt 8	jf 11
(008) ldb      [60]
(009) jeq      #0x11            jt 10	jf 11
(010) ret      #262144
(011) ret      #0
