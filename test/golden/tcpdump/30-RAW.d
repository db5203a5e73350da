(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 9
(003) ldb      [6]
(004) jeq      #0x6             jt 8	jf 5
(005) jeq      #0x2c            jt 6	jf 9
(006) ldb      [40]
(007) jeq      #0x6             jt 8	jf 9
(008) ret      #262144
(009) ret      #0
