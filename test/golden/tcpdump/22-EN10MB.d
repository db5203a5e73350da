(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 9
(002) ld       [26]
(003) jeq      #0x1020304       jt 6	jf 4
(004) ld       [30]
(005) jeq      #0x1020304       jt 6	jf 9
(006) ldb      [23]
(007) jeq      #0x11            jt 9	jf 8
(008) ret      #262144
(009) ret      #0
